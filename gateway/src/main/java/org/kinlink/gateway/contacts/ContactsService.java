package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.idempotency.IdempotencyKey;
import org.kinlink.policy.ParseResult;
import org.kinlink.policy.PolicyDocuments;
import org.kinlink.policy.Problem;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.PolicyChange;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Relationship;

/**
 * Contacts and their restrictions: proposals, approval, suspension, revocation and policy versions
 * (child-contact clearance is {@link ClearanceService}), with who may see and do what. Domain
 * results and {@link DomainException}s only: no status codes, ETags or cursors ({@link ContactsModule}). Every write is a compare-and-set on the
 * record's version ({@link VersionedWrites}), audited before it is acknowledged.
 */
public final class ContactsService {
  /**
   * What a write did: the record as the caller sees it, its new version, and whether it was created.
   * A retry with the same key gets the first write's result.
   */
  public record Written(JsonObject body, Integer version, boolean created) {
    static Written of(JsonObject result) {
      JsonObject body = result.getJsonObject("body");
      Integer version = body.containsKey("version") ? body.getInteger("version") : body.getInteger("policy_version");
      return new Written(body, version, result.getBoolean("created", false));
    }
  }

  /** A page of contacts as the caller sees them, and where the next page starts (null: none). */
  public record ContactPage(List<JsonObject> items, IndexPager.After next) {}

  /** A page of versions, newest first, and the version the next page starts below (null: none). */
  public record VersionPage(List<JsonObject> items, Integer nextBefore) {}

  /** The state changes staff make with a reason. */
  public enum Transition {
    APPROVE("contact.approve", Set.of("PENDING", "SUSPENDED"), "APPROVED"),
    SUSPEND("contact.suspend", Set.of("APPROVED", "SUSPENDED"), "SUSPENDED"),
    REVOKE("contact.revoke", Set.of("PENDING", "APPROVED", "SUSPENDED"), "REVOKED");

    final String action;
    final Set<String> from;
    final String to;

    Transition(String action, Set<String> from, String to) {
      this.action = action;
      this.from = from;
      this.to = to;
    }
  }

  static final int MAX_CAS_RETRIES = 5;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ContactsService.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Parties parties;
  private final ContactStore store;
  private final VersionedWrites writes;
  private final ContactDecisions decisions;
  private final Clock clock;
  private final Naming naming;
  private final ClearanceService clearance;

  /** Child-contact clearance (its own service; it shares this one's staff checks). */
  public ClearanceService clearance() {
    return clearance;
  }

  public ContactsService(Parties parties, ContactStore store, VersionedWrites writes, ContactDecisions decisions,
      Clock clock) {
    this.clearance = new ClearanceService(this, parties, store, writes, decisions, clock);
    this.parties = parties;
    this.store = store;
    this.naming = new Naming(parties, store);
    this.writes = writes;
    this.decisions = decisions;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- reads

  /** One contact as the principal may see it (404 when they may not). */
  public Future<JsonObject> get(Principal p, String contactId) {
    return visibleContact(p, contactId).compose(c -> render(p, c));
  }

  /**
   * A page of contacts, {@code {items, next_cursor}}, paged on the server. Staff name the prisoner
   * (their establishment's, by prison number), or ask for {@code state=PENDING} across their
   * establishment (the approval queue); a prisoner gets her approved contacts and her own pending
   * proposals; a person outside her approved contacts.
   */
  public Future<ContactPage> list(Principal p, String prisonerRef, String state, int limit, IndexPager.After after) {
    String prisonerId = PrisonerRefs.toId(prisonerRef);
    java.util.function.Predicate<ContactRecord> keep = c -> ContactViews.visibleTo(p, c)
        && (state == null || c.state().equals(state));
    Future<IndexPager.Page> page;
    if (p.isStaff()) {
      if (prisonerId == null && !"PENDING".equals(state)) {
        throw DomainException.invalid("INVALID_REQUEST",
            "Say whose contacts: ?prisoner=<prison number>, or ?state=PENDING for your establishment's approval queue.",
            "prisoner");
      }
      page = prisonerId == null
          ? store.pendingPage(p.establishment(), after, limit, c -> keep.test(c) && "PENDING".equals(c.state()))
          : staffPrisoner(p, prisonerId).compose(pr -> ownContacts(pr.id(), after, limit, keep));
    } else if (p.role() == Role.PRISONER) {
      if (prisonerId != null && !prisonerId.equals(p.personId())) {
        throw DomainException.notFound("No such prisoner.");
      }
      page = ownContacts(p.personId(), after, limit, keep);
    } else {
      page = partyContacts(p.personId()).map(all -> {
        // a person is party to a handful of contacts: they are read together and paged here
        List<ContactRecord> visible = all.stream().filter(keep)
            .filter(c -> prisonerId == null || c.prisonerId().equals(prisonerId))
            .filter(c -> after == null || c.createdAt().toEpochMilli() > after.score()
                || (c.createdAt().toEpochMilli() == (long) after.score() && c.id().compareTo(after.member()) > 0))
            .toList();
        List<ContactRecord> items = visible.subList(0, Math.min(limit, visible.size()));
        IndexPager.After next = visible.size() > limit ? new IndexPager.After(items.get(items.size() - 1).createdAt()
            .toEpochMilli(), items.get(items.size() - 1).id()) : null;
        return new IndexPager.Page(items, next);
      });
    }
    return page.compose(pg -> {
      List<Future<JsonObject>> rendered = pg.items().stream().map(c -> render(p, c)).toList();
      return Future.all(rendered).map(v -> new ContactPage(rendered.stream().map(Future::result).toList(), pg.next()));
    });
  }

  private Future<IndexPager.Page> ownContacts(String prisonerId, IndexPager.After after, int limit,
      java.util.function.Predicate<ContactRecord> keep) {
    return store.contactPage(prisonerId, after, limit, keep);
  }

  /** "My contacts" for {@code /me}: a prisoner's or a person's visible contacts; null for staff. */
  public Future<Object> mine(Principal p) {
    if (p.isStaff()) {
      return Future.succeededFuture(null);
    }
    return list(p, null, null, 200, null).map(page -> new JsonArray(page.items()));
  }

  /** The current policy (staff of the prisoner's establishment), with names, not ids. */
  public Future<JsonObject> policy(Principal p, String contactId) {
    return staffContact(p, contactId).compose(c -> {
      ContactPolicy parsed = parse(c);
      return names(p, c.prisonerId(), List.of(parsed), List.of(c.updatedBy())).map(n -> ContactViews.policy(c, parsed, n));
    });
  }

  /** A page of a contact's policy versions, newest first (staff), {@code {items, next_cursor}}. */
  public Future<VersionPage> versions(Principal p, String contactId, int limit, Integer before) {
    return staffContact(p, contactId).compose(c -> store.versions(c.prisonerId(), c.id(), before, limit + 1))
        .compose(list -> {
          List<PolicyVersion> page = list.subList(0, Math.min(limit, list.size()));
          List<ContactPolicy> parsed = page.stream()
              .map(v -> PolicyDocuments.parse(v.document().encode()).policy().orElse(null)).toList();
          Integer next = list.size() > limit ? page.get(page.size() - 1).version() : null;
          return store.get(contactId).compose(c -> names(p, c.orElseThrow().prisonerId(),
              parsed.stream().filter(Objects::nonNull).toList(), page.stream().map(PolicyVersion::author).toList()))
              .map(n -> {
                List<JsonObject> items = new ArrayList<>();
                for (int i = 0; i < page.size(); i++) {
                  items.add(ContactViews.version(page.get(i), parsed.get(i), n));
                }
                return new VersionPage(items, next);
              });
        });
  }

  /** Names for everything these policies' never_with and these accounts refer to, as the viewer may see them. */
  private Future<java.util.Map<String, String>> names(Principal p, String prisonerId, List<ContactPolicy> policies,
      List<String> accounts) {
    List<String> never = policies.stream().flatMap(pol -> pol.neverWith().stream()).toList();
    return naming.parties(p.establishment(), prisonerId, never).compose(parties -> naming.accounts(accounts).map(a -> {
      java.util.Map<String, String> all = new java.util.HashMap<>(a);
      all.putAll(parties);
      return all;
    }));
  }

  /**
   * The staff dry run of {@code POST /policy/evaluate}: the decision with staff texts and the facts
   * used. Every record the question names is checked against the caller's establishment first: a
   * participant of another establishment answers exactly like one that does not exist, except the
   * other side of this prisoner's inter-prison contact, of whom only what that side may see is shown.
   * Without {@code enforceable} the dry run assumes what the real caller enforces: messaging holds
   * messages for review; a call assumes the call obligations (the answer's facts say what was assumed).
   */
  public Future<JsonObject> evaluate(Principal p, ContactDecisions.Ask ask) {
    requireStaff(p);
    return staffContact(p, ask.contactId())
        .compose(c -> store.list(c.prisonerId()).compose(own -> allowedParticipants(p, c, own, ask.participants())))
        .compose(participants -> decisions.decide(new ContactDecisions.Ask(ask.action(), ask.contactId(), ask.principal(),
            ask.as(), ask.at(), participants, ask.duration(), ask.text(), ask.photo(),
            ask.enforceable() != null ? ask.enforceable()
                : ask.action().isMessage() ? ContactDecisions.MESSAGE_OBLIGATIONS
                : ask.action().isCall() || ask.action() == Action.MONITOR_CALL ? ContactDecisions.CALL_OBLIGATIONS
                : Set.of())))
        .map(o -> DryRunView.of(p.establishment(), o, decisions.engine()));
  }

  /** The participants as party ids, each one the caller may name; 422 for any other, as for one that does not exist. */
  private Future<List<String>> allowedParticipants(Principal p, ContactRecord asked, List<ContactRecord> prisonersContacts,
      List<String> refs) {
    List<Future<String>> checks = new ArrayList<>();
    for (String ref : refs) {
      String id = PrisonerRefs.partyId(ref);
      checks.add(parties.party(id).map(found -> {
        boolean allowed = found.isPresent() && (found.get().visibleTo(p.establishment())
            || prisonersContacts.stream().anyMatch(c -> c.partyId().equals(found.get().id()) && found.get().isPrisoner()));
        if (!allowed) {
          throw DomainException.rejected("UNKNOWN_PARTICIPANT", "Participant " + ref + " is not on record.",
              "participants");
        }
        return id;
      }));
    }
    return Future.all(checks).map(v -> checks.stream().map(Future::result).toList());
  }

  // ---------------------------------------------------------------- writes

  /**
   * Proposes a contact; it starts PENDING. A prisoner proposes for herself by who the person is to her
   * ({@code name}, {@code relationship}, {@code how_to_reach}), never by a record id she could probe;
   * staff match the proposal to a person when they approve it. Staff propose for their establishment,
   * by {@code person_id} (a person their establishment registered or works with, or another prisoner
   * who already has this prisoner as a contact) or by description like a prisoner. A record the
   * caller may not see answers exactly like one that does not exist.
   */
  public Future<Written> propose(Principal p, JsonObject body, String idemKey) {
    Relationship relationship = Relationship.valueOf(body.getString("relationship"));
    String reason = blankToNull(body.getString("reason"));
    String requested = PrisonerRefs.partyId(blankToNull(body.getString("person_id")));
    JsonObject proposal = proposalOf(body);
    Future<Parties.PrisonerInfo> prisonerF;
    if (p.role() == Role.PRISONER) {
      String asked = PrisonerRefs.toId(body.getString("prisoner_id"));
      if (asked != null && !asked.equals(p.personId())) {
        throw DomainException.forbidden("You can only propose contacts for yourself.");
      }
      if (body.containsKey("policy")) {
        throw DomainException.forbidden("Only staff set a contact's restrictions.");
      }
      if (requested != null) {
        throw DomainException.invalid("INVALID_REQUEST", "Tell us who the person is to you instead: their name, your "
            + "relationship and how to reach them. Staff find their record.", "person_id");
      }
      prisonerF = parties.prisoner(p.personId()).map(o -> o.orElseThrow(() -> DomainException.notFound("Your record is missing.")));
    } else if (p.isStaff()) {
      String prisonerId = PrisonerRefs.toId(body.getString("prisoner_id"));
      if (prisonerId == null) {
        throw DomainException.invalid("INVALID_REQUEST", "Staff must name the prisoner: prisoner_id (her prison number).",
            "prisoner_id");
      }
      prisonerF = staffPrisoner(p, prisonerId).map(pr -> {
        decisions.requireMayChangePolicy(p, pr);
        return pr;
      });
    } else {
      throw DomainException.forbidden("Only a prisoner or prison staff can propose a contact.");
    }
    if (requested == null && proposal == null) {
      throw DomainException.invalid("INVALID_REQUEST", "Say who the person is: their name and how to reach them"
          + (p.isStaff() ? ", or person_id." : "."), p.isStaff() ? "person_id" : "name");
    }
    ContactPolicy initial = initialPolicy(body.getJsonObject("policy"), relationship);
    return prisonerF.compose(prisoner -> {
      IdempotencyKey idem = IdempotencyKey.of(idemKey, p.accountId(), "contact.propose", prisoner.id(), body, null);
      return writes.replay(prisoner.id(), idem).compose(replayed -> {
        if (replayed.isPresent()) {
          return Future.succeededFuture(Written.of(replayed.get()));
        }
        Future<Optional<Parties.PartyInfo>> party = requested == null ? Future.succeededFuture(Optional.empty())
            : nameable(p, prisoner, requested, "person_id").map(Optional::of);
        return party.compose(found -> proposeNew(p, prisoner, found.orElse(null), proposal, relationship, reason,
            initial, idem));
      });
    });
  }

  /** Who a proposal describes, or null when it names a record instead. */
  private static JsonObject proposalOf(JsonObject body) {
    String name = blankToNull(body.getString("name"));
    String reach = blankToNull(body.getString("how_to_reach"));
    if (name == null && reach == null) {
      return null;
    }
    if (name == null || reach == null) {
      throw DomainException.invalid("INVALID_REQUEST", "Give both the person's name and how to reach them.",
          name == null ? "name" : "how_to_reach");
    }
    return new JsonObject().put("name", name).put("how_to_reach", reach);
  }

  /**
   * The party this staff member (or the system, acting for one establishment) may name for this
   * prisoner's contact: a person visible to the establishment, a prisoner of it, or another
   * establishment's prisoner who already has this prisoner as a live contact (inter-prison contact is
   * made from both sides). Anything else is 422 UNKNOWN_PERSON, word for word as for nobody at all.
   */
  private Future<Parties.PartyInfo> nameable(Principal p, Parties.PrisonerInfo prisoner, String partyId, String field) {
    return parties.party(partyId).compose(found -> {
      if (found.isPresent() && found.get().visibleTo(p.establishment())) {
        return Future.succeededFuture(found.get());
      }
      Future<Boolean> reverse = found.isPresent() && found.get().isPrisoner()
          ? store.list(found.get().id()).map(list -> list.stream().anyMatch(c -> c.partyId().equals(prisoner.id())
              && !"REVOKED".equals(c.state())))
          : Future.succeededFuture(false);
      return reverse.map(ok -> {
        if (!ok) {
          throw DomainException.rejected("UNKNOWN_PERSON", "There is no person " + partyId + " on record.", field);
        }
        return found.get();
      });
    });
  }

  private Future<Written> proposeNew(Principal p, Parties.PrisonerInfo prisoner, Parties.PartyInfo party,
      JsonObject proposal, Relationship relationship, String reason, ContactPolicy initial, IdempotencyKey idem) {
    // a person who is a prisoner elsewhere is stored as that prisoner: both prisons' policies then apply
    String partyId = party == null ? null : party.id();
    if (prisoner.id().equals(partyId)) {
      throw DomainException.rejected("INVALID_PERSON", "A prisoner cannot be her own contact.", "person_id");
    }
    return parties.displayName(p.accountId()).compose(me -> store.list(prisoner.id()).compose(existing -> {
      Optional<ContactRecord> live = partyId == null ? Optional.empty() : existing.stream()
          .filter(c -> c.partyId().equals(partyId) && !"REVOKED".equals(c.state())).findFirst();
      if (live.isPresent()) {
        throw contactExists(live.get().id());
      }
      Instant now = clock.instant();
      String id = newContactId();
      JsonObject document = ContactViews.document(initial);
      String why = reason != null ? reason
          : p.role() == Role.PRISONER ? "Proposed by the prisoner." : "Proposed by staff.";
      ContactRecord record = new ContactRecord(id, prisoner.id(), partyId, relationship.name(), "PENDING", null,
          why, 1, document, now, now, p.accountId(), why, p.accountId(), p.role().name(), proposal);
      PolicyVersion version = new PolicyVersion(1, document, p.accountId(), p.role().name(), now, why,
          "contact.propose");
      AuditEvent audit = auditOf(p, "contact.propose", prisoner, id).detail("reason", why)
          .detail("party_id", partyId).detail("proposal", proposal).detail("relationship", relationship.name())
          .detail("version", 1).detail("after", document).build();
      audit = visibleToBoth(audit, prisoner, party);
      JsonObject answer = ContactViews.contact(p, record, party, prisoner, me);
      VersionedWrites.Write write = new VersionedWrites.Write(VersionedWrites.Mode.CREATE, prisoner.id(),
          VersionedWrites.Target.contact(prisoner.id(), id), 0, version, record.fields(),
          audit, ContactChange.contact(prisoner.id(), id, 1, "PENDING", 0), idem, true, answer, now.toEpochMilli(), id,
          id, partyId, partyId == null ? ContactWriteScript.PartyClaim.NONE : ContactWriteScript.PartyClaim.CLAIM);
      return store.claimOwner(id, prisoner.id())
          .compose(ok -> ok ? Future.<Void>succeededFuture()
              : Future.failedFuture(new IllegalStateException("contact id collision")))
          .compose(v -> partyId == null ? Future.<Void>succeededFuture() : store.indexParty(partyId, prisoner.id(), id))
          .compose(v -> store.indexPending(prisoner.establishment(), prisoner.id(), id, now))
          .compose(v -> writes.commit(write))
          .map(outcome -> answerOf(outcome, id));
    }));
  }

  static DomainException contactExists(String existing) {
    return DomainException.conflict("CONTACT_EXISTS", "This prisoner already has a contact with this person that is "
        + "not revoked: " + existing + ". Change that one instead.").withDetails(new JsonObject().put("contact_id", existing));
  }

  /**
   * Approves, suspends or revokes a contact (staff), making a new policy version. Approving a
   * prisoner's proposal also says who the person is ({@code person_id}: an existing record, or one
   * staff just created with {@code POST /api/v1/people}).
   */
  public Future<Written> transition(Principal p, String contactId, Transition t, JsonObject body, Integer expected,
      String idemKey) {
    String reason = requireReason(body);
    Instant until = t == Transition.SUSPEND ? until(body.getString("until")) : null;
    String match = t == Transition.APPROVE ? PrisonerRefs.partyId(blankToNull(body.getString("person_id"))) : null;
    return staffContact(p, contactId).compose(first -> {
      IdempotencyKey idem = IdempotencyKey.of(idemKey, p.accountId(), t.action, contactId, body, versionText(expected));
      return writes.replay(first.prisonerId(), idem).compose(replayed -> replayed.isPresent()
          ? Future.succeededFuture(Written.of(replayed.get()))
          : parties.prisoner(first.prisonerId()).compose(pr -> {
            return matchFor(p, pr.get(), first, t, match)
                .compose(party -> transitionAttempt(p, pr.get(), first, t, party, reason, until, expected, idem, 0));
          }));
    });
  }

  /** The person an approval matches an unmatched proposal to (null when nothing is to be matched). */
  private Future<Parties.PartyInfo> matchFor(Principal p, Parties.PrisonerInfo prisoner, ContactRecord c, Transition t,
      String match) {
    if (t == Transition.APPROVE && c.unmatched() && match == null) {
      throw DomainException.rejected("PERSON_REQUIRED", "This proposal came from the prisoner and names no record: "
          + "say who the person is with person_id (find them, or create them with POST /api/v1/people).", "person_id");
    }
    if (match == null) {
      return Future.succeededFuture(null);
    }
    if (!c.unmatched()) {
      throw DomainException.rejected("PERSON_ALREADY_MATCHED", "This contact already names its person; "
          + "leave person_id out.", "person_id");
    }
    return nameable(p, prisoner, match, "person_id").map(party -> {
      if (party.id().equals(prisoner.id())) {
        throw DomainException.rejected("INVALID_PERSON", "A prisoner cannot be her own contact.", "person_id");
      }
      return party;
    });
  }

  private Future<Written> transitionAttempt(Principal p, Parties.PrisonerInfo prisoner, ContactRecord current,
      Transition t, Parties.PartyInfo match, String reason, Instant until, Integer expected, IdempotencyKey idem,
      int attempt) {
    if (expected != null && expected != current.version()) {
      throw stale(current.version());
    }
    if (!t.from.contains(current.state())) {
      throw DomainException.conflict("INVALID_TRANSITION", "A " + current.state() + " contact cannot be "
          + t.to.toLowerCase(java.util.Locale.ROOT) + "; allowed from "
          + String.join(" or ", t.from.stream().sorted().toList()) + ".");
    }
    ContactPolicy before = parse(current);
    ContactPolicy after = before.toBuilder().state(ContactState.valueOf(t.to)).suspendedUntil(until).build();
    // suspending is open to every staff role; approving and reinstating are not (the engine decides)
    decisions.requireMayChangePolicy(p, prisoner, PolicyChange.contact(before, after));
    Instant now = clock.instant();
    JsonObject document = ContactViews.document(after);
    ContactRecord next = current.next(document, t.to, until, reason, now, p.accountId(), reason);
    ContactWriteScript.PartyClaim claim = ContactWriteScript.PartyClaim.NONE;
    if (match != null && current.unmatched()) {
      next = next.matchedTo(match.id());
      claim = ContactWriteScript.PartyClaim.CLAIM;
    } else if (t == Transition.REVOKE && !current.unmatched()) {
      claim = ContactWriteScript.PartyClaim.RELEASE;
    }
    AuditEvent audit = auditOf(p, t.action, prisoner, current.id()).detail("reason", reason)
        .detail("from_state", current.state()).detail("to_state", t.to)
        .detail("until", until == null ? null : until.toString()).detail("version", next.version())
        .detail("matched_party_id", claim == ContactWriteScript.PartyClaim.CLAIM ? next.partyId() : null)
        .detail("before", current.policy()).detail("after", document).build();
    ContactRecord written = next;
    ContactWriteScript.PartyClaim partyClaim = claim;
    // index a timed suspension (and a newly matched party) before writing, so neither is ever missed
    Future<Void> indexed = until == null ? Future.succeededFuture()
        : store.indexSuspensionEnd(current.prisonerId(), current.id(), until);
    if (partyClaim == ContactWriteScript.PartyClaim.CLAIM) {
      indexed = indexed.compose(v -> store.indexParty(written.partyId(), current.prisonerId(), current.id()));
    }
    return indexed.compose(v -> commitUpdate(p, prisoner, current, written, t.action, reason, audit, idem, partyClaim))
        .compose(outcome -> {
          if (outcome instanceof VersionedWrites.Outcome.Stale s && expected == null && attempt < MAX_CAS_RETRIES) {
            // someone changed the contact meanwhile: decide again on what it is now
            return store.get(current.prisonerId(), current.id()).compose(fresh -> transitionAttempt(p, prisoner,
                fresh.orElseThrow(() -> DomainException.notFound("No such contact.")), t, match, reason, until, null, idem,
                attempt + 1));
          }
          Written answer = answerOf(outcome, current.id());
          if (!"PENDING".equals(written.state())) {
            // the approval queue forgets it; a failure here only leaves an entry that reads filter out
            store.unindexPending(prisoner.establishment(), current.prisonerId(), current.id());
          }
          return Future.succeededFuture(answer);
        });
  }

  /** Replaces a contact's restrictions (staff, If-Match required); the state changes only through transitions. */
  public Future<Written> putPolicy(Principal p, String contactId, JsonObject body, Integer expectedVersion,
      String idemKey) {
    if (expectedVersion == null) {
      throw DomainException.versionRequired(
          "Send If-Match with the policy version you are changing (GET the policy: its ETag).", "If-Match");
    }
    int expected = expectedVersion;
    String reason = requireReason(body);
    return staffContact(p, contactId).compose(current -> {
      IdempotencyKey idem = IdempotencyKey.of(idemKey, p.accountId(), "contact.policy.update", contactId, body,
          versionText(expected));
      return writes.replay(current.prisonerId(), idem).compose(replayed -> replayed.isPresent()
          ? Future.succeededFuture(Written.of(replayed.get()))
          : parties.prisoner(current.prisonerId()).compose(pr -> {
            return putPolicyNow(p, pr.get(), current, body.getJsonObject("policy"), expected, reason, idem);
          }));
    });
  }

  private Future<Written> putPolicyNow(Principal p, Parties.PrisonerInfo prisoner, ContactRecord current,
      JsonObject document, int expected, String reason, IdempotencyKey idem) {
    ContactPolicy proposed = parseOrReject(document, "policy");
    if ("REVOKED".equals(current.state())) {
      throw DomainException.conflict("INVALID_TRANSITION", "This contact is revoked; its restrictions can no longer "
          + "change. Propose a new contact instead.");
    }
    if (expected != current.version()) {
      throw stale(current.version());
    }
    ContactPolicy before = parse(current);
    if (proposed.state() != before.state() || !Objects.equals(proposed.suspendedUntil(), before.suspendedUntil())) {
      throw DomainException.rejected("STATE_CHANGE_NOT_ALLOWED", "The contact is " + before.state()
          + "; change its state with approve, suspend or revoke (each with a reason), not by editing the policy.",
          "policy.state");
    }
    // tightening is open to every staff role of the establishment; loosening is not
    decisions.requireMayChangePolicy(p, prisoner, PolicyChange.contact(before, proposed));
    Instant now = clock.instant();
    JsonObject normalised = ContactViews.document(proposed);
    ContactRecord next = new ContactRecord(current.id(), current.prisonerId(), current.partyId(),
        proposed.relationship().name(), current.state(), current.suspendedUntil(), current.stateReason(),
        current.version() + 1, normalised, current.createdAt(), now, p.accountId(), reason, current.proposedBy(),
        current.proposedByRole(), current.proposal());
    AuditEvent audit = auditOf(p, "contact.policy.update", prisoner, current.id()).detail("reason", reason)
        .detail("version", next.version()).detail("before", current.policy()).detail("after", normalised).build();
    return commitUpdate(p, prisoner, current, next, "contact.policy.update", reason, audit, idem,
        ContactWriteScript.PartyClaim.NONE)
        .map(outcome -> answerOf(outcome, current.id()));
  }

  /**
   * Records a clearance change made elsewhere (the people directory's prisoner update) as a new
   * clearance version; see {@link ClearanceService#record}.
   */
  public Future<Void> recordClearance(Principal p, String prisonerId, String level, String reason) {
    return clearance.record(p, prisonerId, level, reason);
  }

  /** Ends a timed suspension whose time has come (the system, not a person, writes this version). */
  public Future<Boolean> endSuspension(String prisonerId, String contactId) {
    return store.get(prisonerId, contactId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(false);
      }
      ContactRecord c = found.get();
      Instant now = clock.instant();
      if (!"SUSPENDED".equals(c.state()) || c.suspendedUntil() == null || c.suspendedUntil().isAfter(now)) {
        return Future.succeededFuture(false);
      }
      return parties.prisoner(prisonerId).compose(pr -> {
        String reason = "The suspension ended at " + c.suspendedUntil() + ".";
        JsonObject document = ContactViews.document(parse(c).toBuilder().state(ContactState.APPROVED)
            .suspendedUntil(null).build());
        ContactRecord next = c.next(document, "APPROVED", null, reason, now, "system", reason);
        AuditEvent audit = AuditEvent.of("contact.suspension.end").actor("system", "SYSTEM")
            .establishment(pr.map(Parties.PrisonerInfo::establishment).orElse(null)).prisoner(prisonerId)
            .contact(contactId).detail("reason", reason).detail("from_state", "SUSPENDED").detail("to_state", "APPROVED")
            .detail("version", next.version()).detail("before", c.policy()).detail("after", document).build();
        PolicyVersion version = new PolicyVersion(next.version(), document, "system", "SYSTEM", now, reason,
            "contact.suspension.end");
        VersionedWrites.Write write = new VersionedWrites.Write(VersionedWrites.Mode.UPDATE, prisonerId,
            VersionedWrites.Target.contact(prisonerId, contactId), c.version(), version,
            next.fields(), audit, ContactChange.contact(prisonerId, contactId, next.version(), "APPROVED", 0), null,
            false, new JsonObject(), 0, null, contactId, null, ContactWriteScript.PartyClaim.NONE);
        return writes.commit(write).map(o -> o instanceof VersionedWrites.Outcome.Done);
      });
    });
  }

  // ---------------------------------------------------------------- helpers

  private Future<VersionedWrites.Outcome> commitUpdate(Principal p, Parties.PrisonerInfo prisoner,
      ContactRecord current, ContactRecord next, String action, String reason, AuditEvent audit, IdempotencyKey idem,
      ContactWriteScript.PartyClaim claim) {
    PolicyVersion version = new PolicyVersion(next.version(), next.policy(), p.accountId(), p.role().name(),
        next.updatedAt(), reason, action);
    ContactPolicy parsed = parse(next);
    return party(next).compose(party -> names(p, current.prisonerId(), List.of(parsed),
        List.of(next.updatedBy(), next.proposedBy())).compose(names -> {
      AuditEvent audited = visibleToBoth(audit, prisoner, party.orElse(null));
      JsonObject answer = action.equals("contact.policy.update")
          ? ContactViews.policy(next, parsed, names)
          : ContactViews.contact(p, next, party.orElse(null), prisoner, names.get(next.proposedBy()));
      VersionedWrites.Write write = new VersionedWrites.Write(VersionedWrites.Mode.UPDATE, current.prisonerId(),
          VersionedWrites.Target.contact(current.prisonerId(), current.id()),
          current.version(), version, next.fields(), audited,
          ContactChange.contact(current.prisonerId(), current.id(), next.version(), next.state(), 0), idem, false,
          answer, 0, null, current.id(), next.unmatched() ? null : next.partyId(), claim);
      return writes.commit(write);
    }));
  }

  /** The contact's party, if it names one. */
  private Future<Optional<Parties.PartyInfo>> party(ContactRecord c) {
    return c.unmatched() ? Future.succeededFuture(Optional.empty()) : parties.party(c.partyId());
  }

  static Written answerOf(VersionedWrites.Outcome outcome, String id) {
    return switch (outcome) {
      case VersionedWrites.Outcome.Done d -> Written.of(d.answer());
      case VersionedWrites.Outcome.Stale s -> throw stale(s.current());
      case VersionedWrites.Outcome.Missing m -> throw DomainException.notFound("There is no " + id + ".");
      case VersionedWrites.Outcome.Exists e -> throw DomainException.conflict("ALREADY_EXISTS", id + " already exists.");
      case VersionedWrites.Outcome.Duplicate d -> throw contactExists(d.contactId());
    };
  }

  static DomainException stale(int current) {
    return DomainException.conflict("STALE_VERSION", "Someone changed this since you read it: the current version is "
        + current + ". Read it again, then re-apply your change.").withDetails(new JsonObject().put("current_version", current));
  }

  /** A contact the principal may see, or 404. */
  private Future<ContactRecord> visibleContact(Principal p, String contactId) {
    return store.get(contactId).compose(found -> {
      ContactRecord c = found.orElseThrow(() -> DomainException.notFound("No such contact."));
      if (p.isStaff()) {
        return staffPrisoner(p, c.prisonerId()).map(c);
      }
      if (!ContactViews.visibleTo(p, c)) {
        throw DomainException.notFound("No such contact.");
      }
      return Future.succeededFuture(c);
    });
  }

  /** A contact of the staff member's establishment: 403 for non-staff, 404 for other establishments. */
  private Future<ContactRecord> staffContact(Principal p, String contactId) {
    requireStaff(p);
    return visibleContact(p, contactId);
  }

  /** A prisoner of the staff member's establishment: 403 for non-staff, 404 otherwise. */
  Future<Parties.PrisonerInfo> staffPrisoner(Principal p, String prisonerId) {
    requireStaff(p);
    return parties.prisoner(prisonerId).map(found -> {
      Parties.PrisonerInfo pr = found.orElseThrow(() -> DomainException.notFound("No such record in your establishment."));
      p.requireEstablishment(pr.establishment());
      return pr;
    });
  }

  static void requireStaff(Principal p) {
    if (!p.isStaff()) {
      throw DomainException.forbidden("Only prison staff can see or change contact restrictions.");
    }
  }

  private Future<List<ContactRecord>> partyContacts(String partyId) {
    return store.partyContacts(partyId).compose(refs -> {
      List<Future<Optional<ContactRecord>>> reads = new ArrayList<>();
      for (String ref : refs) {
        int slash = ref.indexOf('/');
        reads.add(store.get(ref.substring(0, slash), ref.substring(slash + 1)));
      }
      return Future.all(reads).map(v -> reads.stream().map(Future::result).flatMap(Optional::stream)
          .sorted(java.util.Comparator.comparing(ContactRecord::createdAt).thenComparing(ContactRecord::id)).toList());
    });
  }

  private Future<JsonObject> render(Principal p, ContactRecord c) {
    Future<String> proposer = p.isStaff() ? parties.displayName(c.proposedBy()) : Future.succeededFuture(null);
    return party(c).compose(party -> parties.prisoner(c.prisonerId()).compose(pr -> proposer
        .map(name -> ContactViews.contact(p, c, party.orElse(null), pr.orElse(null), name))));
  }

  private ContactPolicy initialPolicy(JsonObject given, Relationship relationship) {
    if (given == null) {
      // nothing is allowed until staff approve; then messages only, recorded (legal contacts privileged)
      boolean legal = relationship == Relationship.LEGAL;
      return ContactPolicy.builder().state(ContactState.PENDING).relationship(relationship)
          .channels(Channel.MESSAGE).oversight(legal ? Oversight.PRIVILEGED : Oversight.RECORDED).build();
    }
    ContactPolicy policy = parseOrReject(given, "policy");
    if (policy.state() != ContactState.PENDING || policy.suspendedUntil() != null) {
      throw DomainException.rejected("STATE_CHANGE_NOT_ALLOWED",
          "A new contact starts PENDING; approve it afterwards with a reason.", "policy.state");
    }
    if (policy.relationship() != relationship) {
      throw DomainException.rejected("POLICY_INVALID", "The policy's relationship (" + policy.relationship()
          + ") differs from the contact's (" + relationship + ").", "policy.relationship");
    }
    return policy;
  }

  /** Parses a document with the policy module; 422 POLICY_INVALID listing every problem by field. */
  static ContactPolicy parseOrReject(JsonObject document, String prefix) {
    ParseResult result = PolicyDocuments.parse(document == null ? null : document.encode());
    if (result.isValid()) {
      return result.policy().orElseThrow();
    }
    JsonArray problems = new JsonArray();
    for (Problem problem : result.problems()) {
      problems.add(new JsonObject().put("field", problem.field().isEmpty() ? prefix : prefix + "." + problem.field())
          .put("message", problem.message()));
    }
    String first = problems.getJsonObject(0).getString("field");
    String message = "The policy has " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + "; each is listed in error.problems. First: " + result.problems().get(0) + ".";
    throw new DomainException(DomainException.Kind.REJECTED, "POLICY_INVALID", message, first,
        new JsonObject().put("problems", problems));
  }

  private static ContactPolicy parse(ContactRecord c) {
    ParseResult result = PolicyDocuments.parse(c.policy().encode());
    return result.policy().orElseThrow(() -> new IllegalStateException("stored policy of " + c.id()
        + " does not parse: " + result.problems()));
  }

  /** An inter-prison contact's changes are on both prisons' audit records (their security monitor its calls). */
  private static AuditEvent visibleToBoth(AuditEvent e, Parties.PrisonerInfo home, Parties.PartyInfo party) {
    if (party == null || !party.isPrisoner() || party.prisoner().establishment().equals(home.establishment())) {
      return e;
    }
    JsonObject details = e.details().copy().put("establishments",
        new JsonArray().add(home.establishment()).add(party.prisoner().establishment()));
    return new AuditEvent(e.action(), e.actorId(), e.actorRole(), e.establishment(), e.prisonerId(), e.contactId(),
        e.outcome(), details);
  }

  static AuditEvent.Builder auditOf(Principal p, String action, Parties.PrisonerInfo prisoner, String contactId) {
    return AuditEvent.by(p, action).establishment(prisoner.establishment()).prisoner(prisoner.id()).contact(contactId);
  }

  static String requireReason(JsonObject body) {
    String reason = blankToNull(body.getString("reason"));
    if (reason == null) {
      throw DomainException.invalid("REASON_REQUIRED", "Give a reason: it is kept with the change and shown to staff.",
          "reason");
    }
    return reason;
  }

  private Instant until(String text) {
    if (text == null) {
      return null;
    }
    Instant until;
    try {
      until = java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("INVALID_REQUEST", "until must be an ISO-8601 date-time with offset.", "until");
    }
    if (!until.isAfter(clock.instant())) {
      throw DomainException.rejected("INVALID_UNTIL", "until must be in the future.", "until");
    }
    return until;
  }

  /** The version a change was made against, as part of what a retry must repeat. */
  static String versionText(Integer version) {
    return version == null ? null : version.toString();
  }

  private static String newContactId() {
    byte[] b = new byte[10];
    RANDOM.nextBytes(b);
    return "ct-" + HexFormat.of().formatHex(b);
  }




  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
