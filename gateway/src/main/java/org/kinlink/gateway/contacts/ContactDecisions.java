package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.policy.Decision;
import org.kinlink.policy.DecisionRequest;
import org.kinlink.policy.PolicyEngine;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.CallSlot;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.Contact;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Content;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.PolicyChange;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Role;
import org.kinlink.policy.model.Usage;

/**
 * The one place that gathers fresh facts for a decision about a contact and asks the policy engine:
 * the contact's current policy (and, for a call with several people or another prisoner, every
 * contact involved), each prisoner's clearance, the moment, the participants, usage so far and the
 * content. Messaging and calls call {@link #decide}; staff dry-runs call it through
 * {@code POST /api/v1/policy/evaluate}.
 *
 * <p>Fresh means: the prisoner's policy revision is read from Redis with the usage counters (one
 * round trip), and a cached snapshot older than that revision is reloaded before deciding.
 */
public final class ContactDecisions {

  /** Who the decision is for. */
  public enum As {
    /** The contact's prisoner. */
    PRISONER,
    /** The contact's other party (a person outside, or the other prisoner). */
    PARTY,
    /** The signed-in staff member (or whoever {@link Ask#principal} is). */
    PRINCIPAL
  }

  /**
   * A question for the engine.
   *
   * @param principal who is asking (for {@link As#PRINCIPAL})
   * @param as whose action it is
   * @param at the moment (null: now)
   * @param participants extra party ids in the call or conversation ({@code pe-...}, {@code pr-...})
   * @param duration a call's booked length (null: open-ended)
   * @param enforceable obligation types the caller can enforce right now, as it knows them (messaging:
   *     {@link #MESSAGE_OBLIGATIONS}; calls: what the media backend reports). Null means the caller did
   *     not say, and the decision is DENY ({@code OBLIGATION_UNAVAILABLE}): nothing is assumed enforceable.
   */
  public record Ask(Action action, String contactId, Principal principal, As as, Instant at, List<String> participants,
      Duration duration, String text, boolean photo, Set<ObligationType> enforceable) {
    public Ask {
      participants = participants == null ? List.of() : List.copyOf(participants);
    }
  }

  /**
   * The engine's answer with what it was based on.
   *
   * @param policyVersion the asked contact's policy version
   * @param policyVersions every contact's version that took part, by contact id
   * @param usage the asked contact's usage
   * @param contactPrisoners the prisoner (gateway id) of every contact in {@code policyVersions}
   */
  public record Outcome(Decision decision, DecisionRequest request, int policyVersion,
      Map<String, Integer> policyVersions, Usage usage, Map<String, String> contactPrisoners) {}

  /** What messaging enforces: holding a message for review before delivery. */
  public static final Set<ObligationType> MESSAGE_OBLIGATIONS = Set.of(ObligationType.REVIEW_BEFORE_DELIVERY);

  /** Every obligation a call can carry (a media backend that records, monitors, checks supervisors and ends calls). */
  public static final Set<ObligationType> CALL_OBLIGATIONS = Set.of(ObligationType.RECORD, ObligationType.MONITOR,
      ObligationType.SUPERVISOR_PRESENT, ObligationType.END_BY, ObligationType.NO_RECORDING);

  /** At most this many prisoners take part in one decision (an inter-prison call: two). */
  public static final int MAX_PRISONERS = 2;

  private final PolicyEngine engine;
  private final PolicySnapshots snapshots;
  private final UsageCounters usage;
  private final Parties parties;
  private final java.time.Clock clock;

  public ContactDecisions(PolicyEngine engine, PolicySnapshots snapshots, UsageCounters usage, Parties parties,
      java.time.Clock clock) {
    this.engine = engine;
    this.snapshots = snapshots;
    this.usage = usage;
    this.parties = parties;
    this.clock = clock;
  }

  /** The engine itself, for callers that build their own requests. */
  public PolicyEngine engine() {
    return engine;
  }

  /** A prisoner's clearance as decisions see it: the latest version set here, else the one she was registered with. */
  public static Clearance clearanceOf(ClearanceRecord record, Parties.PrisonerInfo prisoner) {
    String level = record.version() > 0 ? record.level() : prisoner.initialClearance();
    try {
      return level == null ? Clearance.NONE : Clearance.valueOf(level);
    } catch (IllegalArgumentException e) {
      return Clearance.NONE;
    }
  }

  /**
   * May this staff member change the restrictions of this prisoner's contacts (or her clearance)?
   * The engine's CHANGE_POLICY rule answers; a refusal is a 403 with its staff text.
   */
  public void requireMayChangePolicy(Principal staff, Parties.PrisonerInfo prisoner) {
    requireMayChangePolicy(staff, prisoner, null);
  }

  /**
   * May this staff member make this change? Tightening is open to every staff role of the
   * establishment, loosening is not; {@code change} null is a change of unknown direction.
   */
  public void requireMayChangePolicy(Principal staff, Parties.PrisonerInfo prisoner, PolicyChange change) {
    Prisoner p = new Prisoner(PartyIds.prisoner(prisoner), prisoner.establishment(), Clearance.NONE);
    Decision d = engine.decide(DecisionRequest.builder(Action.CHANGE_POLICY, clock.instant())
        .actor(PartyIds.staffActor(staff)).prisoner(p).change(change).enforceable(Set.of()).build());
    if (!d.permitted()) {
      String why = d.reasons().isEmpty() ? "The policy engine refused." : d.reasons().get(0).staffText();
      throw DomainException.forbidden("You may not change contact restrictions: " + why);
    }
  }

  /** Gathers the facts for {@code ask} and decides. Fails with 404 when the contact does not exist. */
  public Future<Outcome> decide(Ask ask) {
    return decide(ask, parties);
  }

  /**
   * As {@link #decide(Ask)}, reading prisoners and parties through {@code lookups} (a
   * {@link RequestParties} the caller already read them through for the same request).
   */
  public Future<Outcome> decide(Ask ask, Parties lookups) {
    Instant at = ask.at() == null ? clock.instant() : ask.at();
    return snapshots.ownerOf(ask.contactId()).compose(owner -> {
      if (owner.isEmpty()) {
        return Future.failedFuture(DomainException.notFound("There is no contact " + ask.contactId() + "."));
      }
      // the prisoner's directory record is read beside the other facts, not before them: only her id,
      // which the contact's owner already gives, is needed to ask for those
      Future<Parties.PrisonerInfo> homeRead = lookups.prisoner(owner.get()).compose(p -> p.isEmpty()
          ? Future.failedFuture(DomainException.notFound("The contact's prisoner is not on record."))
          : Future.succeededFuture(p.get()));
      return new Gathering(ask, at, owner.get(), homeRead, lookups).run();
    });
  }

  /** One decision's fact gathering. */
  private final class Gathering {
    private final Ask ask;
    private final Instant at;
    private final String homeId;
    private final Future<Parties.PrisonerInfo> homeRead;
    /** Set once {@link #homeRead} answers, before anything reads it. */
    private volatile Parties.PrisonerInfo home;
    private final Parties parties;
    // filled from Redis callbacks: concurrent maps, read only after every lookup completed
    private final Map<String, Parties.PrisonerInfo> prisoners = new ConcurrentHashMap<>();
    private final Map<String, PrisonerSnapshot> snaps = new ConcurrentHashMap<>();
    private final Map<String, Parties.PartyInfo> people = new ConcurrentHashMap<>();
    private final List<Contact> contacts = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> versions = new LinkedHashMap<>();
    private final Map<String, String> owners = new LinkedHashMap<>();
    private UsageCounters.Usage homeUsage;
    private ContactRecord asked;

    Gathering(Ask ask, Instant at, String homeId, Future<Parties.PrisonerInfo> homeRead, Parties parties) {
      this.parties = parties;
      this.ask = ask;
      this.at = at;
      this.homeId = homeId;
      this.homeRead = homeRead.onSuccess(p -> {
        home = p;
        prisoners.put(p.id(), p);
      });
    }

    Future<Outcome> run() {
      return askedContact().compose(c -> {
        if (c.unmatched()) {
          throw DomainException.conflict("CONTACT_NOT_MATCHED", "This proposal does not name a person yet (staff match it "
              + "when they approve it), so there is nothing to decide.");
        }
        // the revision and usage are read beside the parties, not after them: the sender is known
        // from the contact record itself
        Future<UsageCounters.Usage> usageRead = usageOf(homeId, c.id(), senderFor(c));
        Set<String> partyIds = new LinkedHashSet<>();
        partyIds.add(c.partyId());
        partyIds.addAll(ask.participants());
        partyIds.remove(homeId);
        List<Future<Void>> lookups = new ArrayList<>();
        for (String id : partyIds) {
          lookups.add(parties.party(id).compose(found -> {
            if (found.isEmpty()) {
              return Future.failedFuture(DomainException.rejected("UNKNOWN_PARTICIPANT",
                  "Participant " + id + " is not on record.", "participants"));
            }
            Parties.PartyInfo party = found.get();
            if (party.isPrisoner()) {
              prisoners.put(party.prisoner().id(), party.prisoner());
              return snapshots.current(party.prisoner().id()).onSuccess(s -> snaps.put(s.prisonerId(), s)).mapEmpty();
            }
            people.put(party.id(), party);
            return Future.succeededFuture();
          }));
        }
        lookups.add(homeRead.mapEmpty());
        return Future.all(lookups).compose(v -> {
          if (prisoners.size() > MAX_PRISONERS) {
            throw DomainException.invalid("TOO_MANY_PRISONERS", "A call can include at most " + MAX_PRISONERS
                + " prisoners (an inter-prison call); this one names " + prisoners.size()
                + ". Take the other prisoners out of participants.", "participants");
          }
          return usageRead;
        });
      }).compose(u -> {
        // the revision read with the usage decides whether the cached policies are current
        homeUsage = u;
        return snapshots.fresh(homeId, u.revision());
      }).compose(snap -> {
        snaps.put(homeId, snap);
        asked = snap.contact(ask.contactId()).orElse(null);
        return asked == null
            ? Future.failedFuture(DomainException.notFound("There is no contact " + ask.contactId() + "."))
            : gatherContacts();
      }).map(v -> decideNow());
    }

    /** The asked contact from the cached snapshot (reloaded once if this node has not seen it yet). */
    private Future<ContactRecord> askedContact() {
      return snapshots.get(homeId).compose(cached -> {
        if (cached.contact(ask.contactId()).isPresent()) {
          return Future.succeededFuture(cached);
        }
        snapshots.invalidate(homeId);
        return snapshots.get(homeId);
      }).compose(s -> s.contact(ask.contactId()).map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(DomainException.notFound("There is no contact " + ask.contactId() + "."))));
    }

    /**
     * Whose messages today count, null for actions that are not
     * messages: the contact's prisoner, or its other party (a person, a child an adult writes for, or
     * the other prisoner), by gateway id.
     */
    /** The usage this action's rules count: a message's sender's messages today, or a call's calls. */
    private Future<UsageCounters.Usage> usageOf(String prisonerId, String contactId, String senderId) {
      return ask.action().isMessage() ? usage.forMessages(prisonerId, contactId, senderId, at) : usage.forCalls(prisonerId, contactId, at);
    }

    private String senderFor(ContactRecord c) {
      if (!ask.action().isMessage()) {
        return null;
      }
      return switch (ask.as()) {
        case PRISONER -> c.prisonerId();
        case PARTY -> c.partyId();
        case PRINCIPAL -> principalActor(ask.principal()).id();
      };
    }

    /** Every prisoner's contact with every other party, each with its usage. */
    private Future<Void> gatherContacts() {
      List<Future<Void>> reads = new ArrayList<>();
      for (Parties.PrisonerInfo p : prisoners.values()) {
        PrisonerSnapshot snap = snaps.get(p.id());
        List<String> others = new ArrayList<>(people.keySet());
        prisoners.keySet().stream().filter(id -> !id.equals(p.id())).forEach(others::add);
        for (String other : others) {
          Optional<ContactRecord> found = p.id().equals(homeId) && other.equals(asked.partyId())
              ? Optional.of(asked) : snap.contactWith(other);
          if (found.isEmpty()) {
            continue; // the engine denies a missing contact and says which
          }
          ContactRecord c = found.get();
          Optional<ContactPolicy> policy = snap.policy(c.id());
          if (policy.isEmpty()) {
            continue;
          }
          versions.put(c.id(), c.version());
          owners.put(c.id(), p.id());
          String partyId = people.containsKey(other) ? PartyIds.person(other) : PartyIds.prisoner(prisoners.get(other));
          Prisoner prisoner = prisonerOf(p);
          if (c == asked) {
            contacts.add(new Contact(prisoner.id(), partyId, policy.get(), toUsage(homeUsage)));
          } else {
            reads.add(usageOf(p.id(), c.id(), null)
                .map(u -> {
                  contacts.add(new Contact(prisoner.id(), partyId, policy.get(), toUsage(u)));
                  return null;
                }));
          }
        }
      }
      return Future.all(reads).mapEmpty();
    }

    private Prisoner prisonerOf(Parties.PrisonerInfo p) {
      return new Prisoner(PartyIds.prisoner(p), p.establishment(), clearanceOf(snaps.get(p.id()).clearance(), p));
    }

    private Outcome decideNow() {
      DecisionRequest.Builder b = DecisionRequest.builder(ask.action(), at).actor(actor());
      prisoners.values().forEach(p -> b.prisoner(prisonerOf(p)));
      people.values().forEach(p -> b.person(new Person(PartyIds.person(p.id()), p.child())));
      contacts.forEach(b::contact);
      if (ask.action().isCall() || ask.action() == Action.MONITOR_CALL) {
        b.call(new CallSlot(at, ask.duration()));
      }
      b.content(new Content(ask.text(), ask.photo()));
      DecisionRequest request = b.enforceable(ask.enforceable()).build();
      return new Outcome(engine.decide(request), request, asked.version(), Map.copyOf(versions), toUsage(homeUsage),
          Map.copyOf(owners));
    }

    private Actor actor() {
      return switch (ask.as()) {
        case PRISONER -> new Actor(PartyIds.prisoner(home), Role.PRISONER, home.establishment());
        case PARTY -> prisoners.values().stream().filter(p -> !p.id().equals(homeId)).findFirst()
            .map(q -> new Actor(PartyIds.prisoner(q), Role.PRISONER, q.establishment()))
            .orElseGet(() -> Actor.person(PartyIds.person(asked.partyId())));
        case PRINCIPAL -> principalActor(ask.principal());
      };
    }

    private Actor principalActor(Principal p) {
      return switch (p.role()) {
        case PRISONER -> {
          Parties.PrisonerInfo me = prisoners.get(p.personId());
          yield new Actor(me == null ? "prisoner:" + p.personId() : PartyIds.prisoner(me), Role.PRISONER, p.establishment());
        }
        case OUTSIDE -> Actor.person(PartyIds.person(p.personId()));
        default -> PartyIds.staffActor(p);
      };
    }
  }

  private static Usage toUsage(UsageCounters.Usage u) {
    return new Usage(u.callsThisWeek(), u.callsLast14Days(), u.messagesToday());
  }
}
