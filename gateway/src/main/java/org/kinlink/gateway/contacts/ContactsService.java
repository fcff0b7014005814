package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.auth.Principal;
import org.kinlink.gateway.auth.Role;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.policy.ParseResult;
import org.kinlink.policy.PolicyDocuments;
import org.kinlink.policy.Problem;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.PolicyChange;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Relationship;

/**
 * Contacts and their restrictions: proposals, approval, suspension, revocation, policy versions and
 * child-contact clearance, with who may see and do what. Every write is a compare-and-set on the
 * record's version ({@link VersionedWrites}), audited before it is acknowledged.
 */
public final class ContactsService {
  /** What a write answers: status, body, and the ETag (the new version) when there is one. */
  public record Answer(int status, JsonObject body, Integer etag) {
    static Answer of(JsonObject stored) {
      JsonObject body = stored.getJsonObject("body");
      Integer version = body.containsKey("version") ? body.getInteger("version") : body.getInteger("policy_version");
      return new Answer(stored.getInteger("status"), body, version);
    }
  }

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

  private static final int MAX_CAS_RETRIES = 5;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ContactsService.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Parties parties;
  private final ContactStore store;
  private final VersionedWrites writes;
  private final ContactDecisions decisions;
  private final Clock clock;

  public ContactsService(Parties parties, ContactStore store, VersionedWrites writes, ContactDecisions decisions,
      Clock clock) {
    this.parties = parties;
    this.store = store;
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
   * A page of contacts: staff name the prisoner (their establishment's); a prisoner gets her own
   * approved contacts and her own pending proposals; a person outside her approved contacts.
   */
  public Future<JsonObject> list(Principal p, String prisonerId, String state, int limit, String cursor) {
    Future<List<ContactRecord>> all;
    if (p.isStaff()) {
      if (prisonerId == null) {
        throw ApiException.badRequest("INVALID_REQUEST", "Staff must say whose contacts: ?prisoner=pr-...", "prisoner");
      }
      all = staffPrisoner(p, prisonerId).compose(pr -> store.list(pr.id()));
    } else if (p.role() == Role.PRISONER) {
      if (prisonerId != null && !prisonerId.equals(p.personId())) {
        throw ApiException.notFound("No such prisoner.");
      }
      all = store.list(p.personId());
    } else {
      all = partyContacts(p.personId()).map(list -> prisonerId == null ? list
          : list.stream().filter(c -> c.prisonerId().equals(prisonerId)).toList());
    }
    return all.compose(list -> {
      List<ContactRecord> visible = list.stream().filter(c -> ContactViews.visibleTo(p, c))
          .filter(c -> state == null || c.state().equals(state)).toList();
      int from = 0;
      if (cursor != null) {
        String after = decodeCursor(cursor);
        from = visible.size();
        for (int i = 0; i < visible.size(); i++) {
          if (cursorOf(visible.get(i)).compareTo(after) > 0) {
            from = i;
            break;
          }
        }
      }
      List<ContactRecord> page = visible.subList(from, Math.min(visible.size(), from + limit));
      String next = from + limit < visible.size() ? encodeCursor(cursorOf(page.get(page.size() - 1))) : null;
      List<Future<JsonObject>> rendered = page.stream().map(c -> render(p, c)).toList();
      return Future.all(rendered).map(v -> new JsonObject()
          .put("contacts", new JsonArray(rendered.stream().map(Future::result).toList()))
          .put("next_cursor", next));
    });
  }

  /** "My contacts" for {@code /me}: a prisoner's or a person's visible contacts; null for staff. */
  public Future<Object> mine(Principal p) {
    if (p.isStaff()) {
      return Future.succeededFuture(null);
    }
    return list(p, null, null, 200, null).map(page -> page.getJsonArray("contacts"));
  }

  /** The current policy (staff of the prisoner's establishment). */
  public Future<JsonObject> policy(Principal p, String contactId) {
    return staffContact(p, contactId).map(c -> ContactViews.policy(c, parse(c)));
  }

  /** Every version of a contact's policy, newest first (staff). */
  public Future<JsonObject> versions(Principal p, String contactId) {
    return staffContact(p, contactId).compose(c -> store.versions(c.prisonerId(), c.id()))
        .map(list -> new JsonObject().put("versions", new JsonArray(list.stream()
            .map(v -> ContactViews.version(v, PolicyDocuments.parse(v.document().encode()).policy().orElse(null)))
            .toList())));
  }

  /** A prisoner's clearance (staff of her establishment). */
  public Future<JsonObject> clearance(Principal p, String prisonerId) {
    return staffPrisoner(p, prisonerId).compose(pr -> store.clearance(pr.id())
        .map(r -> ContactViews.clearance(r, ContactDecisions.clearanceOf(r, pr).name())));
  }

  /** Every clearance version, newest first (staff). */
  public Future<JsonObject> clearanceVersions(Principal p, String prisonerId) {
    return staffPrisoner(p, prisonerId).compose(pr -> store.clearanceVersions(pr.id()))
        .map(list -> new JsonObject().put("versions",
            new JsonArray(list.stream().map(ContactViews::clearanceVersion).toList())));
  }

  /** The staff dry run of {@code POST /policy/evaluate}: the decision with staff texts and the facts used. */
  public Future<JsonObject> evaluate(Principal p, ContactDecisions.Ask ask) {
    requireStaff(p);
    return staffContact(p, ask.contactId()).compose(c -> decisions.decide(ask)).map(o -> {
      JsonObject usage = new JsonObject().put("calls_this_week", o.usage().callsThisWeek())
          .put("calls_last_14_days", o.usage().callsLast14Days()).put("messages_today", o.usage().messagesToday());
      JsonArray prisoners = new JsonArray();
      o.request().prisoners().forEach(pr -> prisoners.add(new JsonObject().put("id", pr.id())
          .put("establishment", pr.establishment()).put("clearance", pr.clearance().name())));
      JsonArray people = new JsonArray();
      o.request().people().forEach(pe -> people.add(new JsonObject().put("id", pe.id()).put("child", pe.child())));
      return new JsonObject().put("decision", new JsonObject(o.decision().toJson(true)))
          .put("policy_version", o.policyVersion())
          .put("policy_versions", new JsonObject(new java.util.HashMap<>(o.policyVersions())))
          .put("facts", new JsonObject().put("at", o.request().at().toString()).put("actor", o.request().actor().id())
              .put("prisoners", prisoners).put("people", people).put("usage", usage));
    });
  }

  // ---------------------------------------------------------------- writes

  /** Proposes a contact; it starts PENDING. Prisoners propose for themselves; staff for their establishment. */
  public Future<Answer> propose(Principal p, JsonObject body, String idemKey) {
    String partyId = body.getString("person_id");
    Relationship relationship = Relationship.valueOf(body.getString("relationship"));
    String reason = blankToNull(body.getString("reason"));
    Future<Parties.PrisonerInfo> prisonerF;
    if (p.role() == Role.PRISONER) {
      String asked = body.getString("prisoner_id");
      if (asked != null && !asked.equals(p.personId())) {
        throw ApiException.forbidden("You can only propose contacts for yourself.");
      }
      if (body.containsKey("policy")) {
        throw ApiException.forbidden("Only staff set a contact's restrictions.");
      }
      prisonerF = parties.prisoner(p.personId()).map(o -> o.orElseThrow(() -> ApiException.notFound("Your record is missing.")));
    } else if (p.isStaff()) {
      String prisonerId = body.getString("prisoner_id");
      if (prisonerId == null) {
        throw ApiException.badRequest("INVALID_REQUEST", "Staff must name the prisoner: prisoner_id.", "prisoner_id");
      }
      prisonerF = staffPrisoner(p, prisonerId).map(pr -> {
        decisions.requireMayChangePolicy(p, pr);
        return pr;
      });
    } else {
      throw ApiException.forbidden("Only a prisoner or prison staff can propose a contact.");
    }
    ContactPolicy initial = initialPolicy(body.getJsonObject("policy"), relationship);
    return prisonerF.compose(prisoner -> {
      Idempotency idem = Idempotency.of(idemKey, p, "contact.propose", prisoner.id(), body, null);
      return writes.replay(prisoner.id(), idem).compose(replayed -> replayed.isPresent()
          ? Future.succeededFuture(Answer.of(replayed.get()))
          : proposeNew(p, prisoner, partyId, relationship, reason, initial, idem));
    });
  }

  private Future<Answer> proposeNew(Principal p, Parties.PrisonerInfo prisoner, String requestedParty,
      Relationship relationship, String reason, ContactPolicy initial, Idempotency idem) {
    return parties.party(requestedParty).compose(found -> {
      Parties.PartyInfo party = found.orElseThrow(() -> ApiException.unprocessable("UNKNOWN_PERSON",
          "There is no person " + requestedParty + " on record.", "person_id"));
      // a person who is a prisoner elsewhere is stored as that prisoner: both prisons' policies then apply
      String partyId = party.id();
      if (partyId.equals(prisoner.id())) {
        throw ApiException.unprocessable("INVALID_PERSON", "A prisoner cannot be her own contact.", "person_id");
      }
      return store.list(prisoner.id()).compose(existing -> {
        if (existing.stream().anyMatch(c -> c.partyId().equals(partyId) && !"REVOKED".equals(c.state()))) {
          throw ApiException.conflict("CONTACT_EXISTS", "This prisoner already has a contact with " + partyId
              + " that is not revoked.");
        }
        Instant now = clock.instant();
        String id = newContactId();
        JsonObject document = ContactViews.document(initial);
        String why = reason != null ? reason
            : p.role() == Role.PRISONER ? "Proposed by the prisoner." : "Proposed by staff.";
        ContactRecord record = new ContactRecord(id, prisoner.id(), partyId, relationship.name(), "PENDING", null,
            why, 1, document, now, now, p.accountId(), why, p.accountId(), p.role().name());
        PolicyVersion version = new PolicyVersion(1, document, p.accountId(), p.role().name(), now, why,
            "contact.propose");
        AuditEvent audit = auditOf(p, "contact.propose", prisoner, id).detail("reason", why)
            .detail("party_id", partyId).detail("relationship", relationship.name()).detail("version", 1)
            .detail("after", document).build();
        audit = visibleToBoth(audit, prisoner, party);
        JsonObject answer = ContactViews.contact(p, record, party, prisoner);
        VersionedWrites.Write write = new VersionedWrites.Write(VersionedWrites.Mode.CREATE, prisoner.id(),
            Keys.contact(prisoner.id(), id), Keys.contactVersions(prisoner.id(), id), 0, version, record.fields(),
            audit, ContactChange.contact(prisoner.id(), id, 1, "PENDING", 0), idem, 201, answer,
            Keys.prisonerContacts(prisoner.id()), now.toEpochMilli(), id);
        return store.claimOwner(id, prisoner.id())
            .compose(ok -> ok ? store.indexParty(partyId, prisoner.id(), id)
                : Future.failedFuture(new IllegalStateException("contact id collision")))
            .compose(v -> writes.commit(write))
            .map(outcome -> answerOf(outcome, id));
      });
    });
  }

  /** Approves, suspends or revokes a contact (staff), making a new policy version. */
  public Future<Answer> transition(Principal p, String contactId, Transition t, JsonObject body, String ifMatch,
      String idemKey) {
    String reason = requireReason(body);
    Instant until = t == Transition.SUSPEND ? until(body.getString("until")) : null;
    Integer expected = ifMatch == null ? null : parseIfMatch(ifMatch);
    return staffContact(p, contactId).compose(first -> {
      Idempotency idem = Idempotency.of(idemKey, p, t.action, contactId, body, ifMatch);
      return writes.replay(first.prisonerId(), idem).compose(replayed -> replayed.isPresent()
          ? Future.succeededFuture(Answer.of(replayed.get()))
          : parties.prisoner(first.prisonerId()).compose(pr ->
              transitionAttempt(p, pr.orElseThrow(), first, t, reason, until, expected, idem, 0)));
    });
  }

  private Future<Answer> transitionAttempt(Principal p, Parties.PrisonerInfo prisoner, ContactRecord current,
      Transition t, String reason, Instant until, Integer expected, Idempotency idem, int attempt) {
    if (expected != null && expected != current.version()) {
      throw stale(current.version());
    }
    if (!t.from.contains(current.state())) {
      throw ApiException.conflict("INVALID_TRANSITION", "A " + current.state() + " contact cannot be "
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
    AuditEvent audit = auditOf(p, t.action, prisoner, current.id()).detail("reason", reason)
        .detail("from_state", current.state()).detail("to_state", t.to)
        .detail("until", until == null ? null : until.toString()).detail("version", next.version())
        .detail("before", current.policy()).detail("after", document).build();
    // index a timed suspension before writing it, so its end is never missed
    Future<Void> indexed = until == null ? Future.succeededFuture()
        : store.indexSuspensionEnd(current.prisonerId(), current.id(), until);
    return indexed.compose(v -> commitUpdate(p, prisoner, current, next, t.action, reason, audit, idem)).compose(outcome -> {
      if (outcome instanceof VersionedWrites.Outcome.Stale s && expected == null && attempt < MAX_CAS_RETRIES) {
        // someone changed the contact meanwhile: decide again on what it is now
        return store.get(current.prisonerId(), current.id()).compose(fresh -> transitionAttempt(p, prisoner,
            fresh.orElseThrow(() -> ApiException.notFound("No such contact.")), t, reason, until, null, idem, attempt + 1));
      }
      return Future.succeededFuture(answerOf(outcome, current.id()));
    });
  }

  /** Replaces a contact's restrictions (staff, If-Match required); the state changes only through transitions. */
  public Future<Answer> putPolicy(Principal p, String contactId, JsonObject body, String ifMatch, String idemKey) {
    if (ifMatch == null) {
      throw new ApiException(428, "PRECONDITION_REQUIRED",
          "Send If-Match with the policy version you are changing (GET the policy: its ETag).", "If-Match", null, null);
    }
    int expected = parseIfMatch(ifMatch);
    String reason = requireReason(body);
    return staffContact(p, contactId).compose(current -> {
      Idempotency idem = Idempotency.of(idemKey, p, "contact.policy.update", contactId, body, ifMatch);
      return writes.replay(current.prisonerId(), idem).compose(replayed -> replayed.isPresent()
          ? Future.succeededFuture(Answer.of(replayed.get()))
          : parties.prisoner(current.prisonerId()).compose(pr ->
              putPolicyNow(p, pr.orElseThrow(), current, body.getJsonObject("policy"), expected, reason, idem)));
    });
  }

  private Future<Answer> putPolicyNow(Principal p, Parties.PrisonerInfo prisoner, ContactRecord current,
      JsonObject document, int expected, String reason, Idempotency idem) {
    ContactPolicy proposed = parseOrReject(document, "policy");
    if ("REVOKED".equals(current.state())) {
      throw ApiException.conflict("INVALID_TRANSITION", "This contact is revoked; its restrictions can no longer "
          + "change. Propose a new contact instead.");
    }
    if (expected != current.version()) {
      throw stale(current.version());
    }
    ContactPolicy before = parse(current);
    if (proposed.state() != before.state() || !Objects.equals(proposed.suspendedUntil(), before.suspendedUntil())) {
      throw ApiException.unprocessable("STATE_CHANGE_NOT_ALLOWED", "The contact is " + before.state()
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
        current.proposedByRole());
    AuditEvent audit = auditOf(p, "contact.policy.update", prisoner, current.id()).detail("reason", reason)
        .detail("version", next.version()).detail("before", current.policy()).detail("after", normalised).build();
    return commitUpdate(p, prisoner, current, next, "contact.policy.update", reason, audit, idem)
        .map(outcome -> answerOf(outcome, current.id()));
  }

  /** Sets a prisoner's child-contact clearance (staff, If-Match required: "0" when never assessed). */
  public Future<Answer> putClearance(Principal p, String prisonerId, JsonObject body, String ifMatch, String idemKey) {
    if (ifMatch == null) {
      throw new ApiException(428, "PRECONDITION_REQUIRED",
          "Send If-Match with the clearance version you are changing (GET the clearance: its ETag; 0 when never assessed).",
          "If-Match", null, null);
    }
    int expected = parseIfMatch(ifMatch);
    String reason = requireReason(body);
    String level = body.getString("clearance");
    return staffPrisoner(p, prisonerId).compose(pr -> {
      Idempotency idem = Idempotency.of(idemKey, p, "prisoner.clearance.set", pr.id(), body, ifMatch);
      return writes.replay(pr.id(), idem).compose(replayed -> replayed.isPresent()
          ? Future.succeededFuture(Answer.of(replayed.get()))
          : store.clearance(pr.id()).compose(current -> {
            if (expected != current.version()) {
              throw stale(current.version());
            }
            // lowering is open to every staff role; raising follows an assessment (the engine decides)
            decisions.requireMayChangePolicy(p, pr, PolicyChange.clearance(ContactDecisions.clearanceOf(current, pr),
                org.kinlink.policy.model.Clearance.valueOf(level)));
            return commitClearance(p, pr, current, level, reason, idem);
          }).compose(outcome -> {
            Answer answer = answerOf(outcome, pr.id());
            // the people directory shows the clearance too; this store stays the authority for decisions
            return parties.mirrorClearance(pr.id(), level).recover(e -> {
              log.warn("clearance of {} saved (version {}) but not mirrored to the prisoner record", pr.id(), answer.etag(), e);
              return Future.succeededFuture();
            }).map(answer);
          }));
    });
  }

  /**
   * Records a clearance change made elsewhere (the people directory's prisoner update, which its own
   * module authorised) as a new version here, so decisions and the version history see it.
   */
  public Future<Void> recordClearance(Principal p, String prisonerId, String level, String reason) {
    return parties.prisoner(prisonerId).compose(pr -> recordClearanceAttempt(p,
        pr.orElseThrow(() -> ApiException.notFound("No such prisoner.")), level, reason, 0));
  }

  private Future<Void> recordClearanceAttempt(Principal p, Parties.PrisonerInfo pr, String level, String reason, int attempt) {
    return store.clearance(pr.id()).compose(current -> {
      if (current.version() > 0 && current.level().equals(level)) {
        return Future.succeededFuture();
      }
      return commitClearance(p, pr, current, level, reason == null ? "Changed on the prisoner record." : reason, null)
          .compose(outcome -> outcome instanceof VersionedWrites.Outcome.Stale && attempt < MAX_CAS_RETRIES
              ? recordClearanceAttempt(p, pr, level, reason, attempt + 1)
              : Future.succeededFuture(answerOf(outcome, pr.id())).mapEmpty());
    });
  }

  private Future<VersionedWrites.Outcome> commitClearance(Principal p, Parties.PrisonerInfo pr, ClearanceRecord current,
      String level, String reason, Idempotency idem) {
    Instant now = clock.instant();
    ClearanceRecord next = new ClearanceRecord(pr.id(), level, current.version() + 1, now, p.accountId(), reason);
    String beforeLevel = ContactDecisions.clearanceOf(current, pr).name();
    PolicyVersion version = new PolicyVersion(next.version(), new JsonObject().put("clearance", level),
        p.accountId(), p.role().name(), now, reason, "prisoner.clearance.set");
    AuditEvent audit = auditOf(p, "prisoner.clearance.set", pr, null).detail("reason", reason)
        .detail("version", next.version()).detail("before", beforeLevel).detail("after", level).build();
    JsonObject answer = ContactViews.clearance(next, level);
    VersionedWrites.Write write = new VersionedWrites.Write(VersionedWrites.Mode.PUT, pr.id(),
        Keys.clearance(pr.id()), Keys.clearanceVersions(pr.id()), current.version(), version, next.fields(), audit,
        ContactChange.clearance(pr.id(), next.version(), level, 0), idem, 200, answer, null, 0, null);
    return writes.commit(write);
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
            Keys.contact(prisonerId, contactId), Keys.contactVersions(prisonerId, contactId), c.version(), version,
            next.fields(), audit, ContactChange.contact(prisonerId, contactId, next.version(), "APPROVED", 0), null,
            200, new JsonObject(), null, 0, null);
        return writes.commit(write).map(o -> o instanceof VersionedWrites.Outcome.Done);
      });
    });
  }

  // ---------------------------------------------------------------- helpers

  private Future<VersionedWrites.Outcome> commitUpdate(Principal p, Parties.PrisonerInfo prisoner,
      ContactRecord current, ContactRecord next, String action, String reason, AuditEvent audit, Idempotency idem) {
    PolicyVersion version = new PolicyVersion(next.version(), next.policy(), p.accountId(), p.role().name(),
        next.updatedAt(), reason, action);
    return parties.party(current.partyId()).compose(party -> {
      AuditEvent audited = visibleToBoth(audit, prisoner, party.orElse(null));
      JsonObject answer = action.equals("contact.policy.update")
          ? ContactViews.policy(next, parse(next))
          : ContactViews.contact(p, next, party.orElse(null), prisoner);
      VersionedWrites.Write write = new VersionedWrites.Write(VersionedWrites.Mode.UPDATE, current.prisonerId(),
          Keys.contact(current.prisonerId(), current.id()), Keys.contactVersions(current.prisonerId(), current.id()),
          current.version(), version, next.fields(), audited,
          ContactChange.contact(current.prisonerId(), current.id(), next.version(), next.state(), 0), idem, 200,
          answer, null, 0, null);
      return writes.commit(write);
    });
  }

  private static Answer answerOf(VersionedWrites.Outcome outcome, String id) {
    return switch (outcome) {
      case VersionedWrites.Outcome.Done d -> Answer.of(d.answer());
      case VersionedWrites.Outcome.Stale s -> throw stale(s.current());
      case VersionedWrites.Outcome.Missing m -> throw ApiException.notFound("There is no " + id + ".");
      case VersionedWrites.Outcome.Exists e -> throw ApiException.conflict("ALREADY_EXISTS", id + " already exists.");
    };
  }

  private static ApiException stale(int current) {
    return ApiException.conflict("STALE_VERSION", "Someone changed this since you read it: the current version is "
        + current + ". Read it again, then re-apply your change.").withDetails(new JsonObject().put("current_version", current));
  }

  /** A contact the principal may see, or 404. */
  private Future<ContactRecord> visibleContact(Principal p, String contactId) {
    return store.get(contactId).compose(found -> {
      ContactRecord c = found.orElseThrow(() -> ApiException.notFound("No such contact."));
      if (p.isStaff()) {
        return staffPrisoner(p, c.prisonerId()).map(c);
      }
      if (!ContactViews.visibleTo(p, c)) {
        throw ApiException.notFound("No such contact.");
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
  private Future<Parties.PrisonerInfo> staffPrisoner(Principal p, String prisonerId) {
    requireStaff(p);
    return parties.prisoner(prisonerId).map(found -> {
      Parties.PrisonerInfo pr = found.orElseThrow(() -> ApiException.notFound("No such record in your establishment."));
      p.requireEstablishment(pr.establishment());
      return pr;
    });
  }

  private static void requireStaff(Principal p) {
    if (!p.isStaff()) {
      throw ApiException.forbidden("Only prison staff can see or change contact restrictions.");
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
    return parties.party(c.partyId()).compose(party -> parties.prisoner(c.prisonerId())
        .map(pr -> ContactViews.contact(p, c, party.orElse(null), pr.orElse(null))));
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
      throw ApiException.unprocessable("STATE_CHANGE_NOT_ALLOWED",
          "A new contact starts PENDING; approve it afterwards with a reason.", "policy.state");
    }
    if (policy.relationship() != relationship) {
      throw ApiException.unprocessable("POLICY_INVALID", "The policy's relationship (" + policy.relationship()
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
    throw new ApiException(422, "POLICY_INVALID", message, first, null, new JsonObject().put("problems", problems));
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

  private static AuditEvent.Builder auditOf(Principal p, String action, Parties.PrisonerInfo prisoner, String contactId) {
    return AuditEvent.by(p, action).establishment(prisoner.establishment()).prisoner(prisoner.id()).contact(contactId);
  }

  private static String requireReason(JsonObject body) {
    String reason = blankToNull(body.getString("reason"));
    if (reason == null) {
      throw ApiException.badRequest("REASON_REQUIRED", "Give a reason: it is kept with the change and shown to staff.",
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
      throw ApiException.badRequest("INVALID_REQUEST", "until must be an ISO-8601 date-time with offset.", "until");
    }
    if (!until.isAfter(clock.instant())) {
      throw ApiException.unprocessable("INVALID_UNTIL", "until must be in the future.", "until");
    }
    return until;
  }

  /** The version an If-Match names: {@code "3"}, {@code 3} or {@code W/"3"}; 400 otherwise. */
  static int parseIfMatch(String header) {
    String s = header.trim();
    if (s.startsWith("W/")) {
      s = s.substring(2);
    }
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    try {
      int v = Integer.parseInt(s);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiException.badRequest("INVALID_IF_MATCH", "If-Match must be the version you read, e.g. \"3\".", "If-Match");
  }

  private static String newContactId() {
    byte[] b = new byte[10];
    RANDOM.nextBytes(b);
    return "ct-" + HexFormat.of().formatHex(b);
  }

  private static String cursorOf(ContactRecord c) {
    return String.format("%020d/%s", c.createdAt().toEpochMilli(), c.id());
  }

  private static String encodeCursor(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String s) {
    try {
      return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this API gave out.", "cursor");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
