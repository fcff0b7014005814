package org.kinlink.gateway.messaging;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.contacts.ContactRecord;
import org.kinlink.gateway.contacts.Parties;
import org.kinlink.gateway.contacts.PolicySnapshots;
import org.kinlink.gateway.contacts.PrisonerSnapshot;
import org.kinlink.gateway.contacts.RequestParties;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Oversight;

/**
 * Finds the thread a caller names by contact id, and the threads a caller has. A contact the caller
 * is not a side of answers 404 as if it did not exist; so does one that is pending or revoked.
 */
final class Conversations {
  private final Redis redis;
  private final PolicySnapshots snapshots;
  private final Parties parties;

  Conversations(Redis redis, PolicySnapshots snapshots, Parties parties) {
    this.redis = redis;
    this.snapshots = snapshots;
    this.parties = parties;
  }

  /** Directory lookups for one request, each party read once (pass them on to the decision). */
  Parties lookups() {
    return new RequestParties(parties);
  }

  /** The thread of {@code contactId} with the caller's side, or 404. */
  Future<Seen> resolve(Principal p, String contactId) {
    return resolve(p, contactId, parties);
  }

  /** As {@link #resolve(Principal, String)}, reading parties through {@code lookups}. */
  Future<Seen> resolve(Principal p, String contactId, Parties lookups) {
    if (p.role() != Role.PRISONER && p.role() != Role.OUTSIDE) {
      return Future.failedFuture(DomainException.notFound("There is no such conversation for you."));
    }
    return snapshots.ownerOf(contactId).compose(owner -> owner.isEmpty() ? notFound(contactId)
        : snapshots.get(owner.get()).compose(snap -> {
          Optional<ContactRecord> c = snap.contact(contactId);
          if (c.isEmpty() || !live(c.get())) {
            return notFound(contactId);
          }
          return build(snap, c.get(), lookups).compose(conv -> conv.side(p.personId())
              .map(me -> Future.succeededFuture(new Seen(conv, me)))
              .orElseGet(() -> notFound(contactId)));
        }));
  }

  /**
   * The id the thread of {@code contactId} has, from the cached policy snapshot (no directory read):
   * empty when there is no such live contact. {@link #resolve} is what checks the caller's side.
   */
  Future<Optional<String>> conversationId(String contactId) {
    return snapshots.ownerOf(contactId).compose(owner -> owner.isEmpty() ? Future.succeededFuture(Optional.<String>empty())
        : snapshots.get(owner.get()).map(snap -> snap.contact(contactId).filter(Conversations::live).map(Conversations::idOf)));
  }

  /** A thread's id: the contact's, or for two prisoners one id from both (each has her own contact record). */
  static String idOf(ContactRecord c) {
    if (!c.partyId().startsWith(PRISONER_PREFIX)) {
      return c.id();
    }
    String a = c.prisonerId();
    String b = c.partyId();
    return "ip-" + (a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a);
  }

  private static final String PRISONER_PREFIX = "pr-";

  /** The threads a prisoner or person outside has (approved contacts with messages among their channels). */
  Future<List<Seen>> mine(Principal p) {
    Future<List<ContactRecord>> contacts;
    if (p.role() == Role.PRISONER) {
      contacts = snapshots.get(p.personId()).map(s -> s.contacts().values().stream()
          .filter(c -> messageable(s, c)).toList());
    } else if (p.role() == Role.OUTSIDE) {
      contacts = heldChildren(p.personId()).compose(children -> {
        List<String> people = new ArrayList<>(children);
        people.add(p.personId());
        List<Future<List<ContactRecord>>> each = people.stream().map(this::contactsOf).toList();
        return Future.all(each).map(v -> each.stream().flatMap(f -> f.result().stream()).toList());
      });
    } else {
      return Future.succeededFuture(List.of());
    }
    return contacts.compose(list -> {
      List<Future<Seen>> seen = list.stream().map(c -> snapshots.get(c.prisonerId())
          .compose(s -> build(s, c)).map(conv -> conv.side(p.personId()).map(me -> new Seen(conv, me)).orElse(null)))
          .toList();
      return Future.all(seen).map(v -> seen.stream().map(Future::result).filter(java.util.Objects::nonNull)
          .sorted(java.util.Comparator.comparing(s -> s.me().contactId())).toList());
    });
  }

  /** The thread and the caller's side of it. */
  record Seen(Conversation conversation, Conversation.Side me) {
    Conversation.Side other() {
      return conversation.other(me);
    }
  }

  private Future<List<ContactRecord>> contactsOf(String personId) {
    return redis.<java.util.Set<String>>call(c -> c.smembers(Keys.personContacts(personId))).compose(refs -> {
      List<Future<Optional<ContactRecord>>> found = refs.stream().map(ref -> {
        String[] parts = ref.split("/", 2);
        return snapshots.get(parts[0]).map(s -> s.contact(parts[1]).filter(c -> messageable(s, c)));
      }).toList();
      return Future.all(found).map(v -> found.stream().map(Future::result).flatMap(Optional::stream).toList());
    });
  }

  /**
   * Approved, or suspended: a suspended thread stays readable and a send is refused by the policy
   * with its user-safe reason; pending and revoked contacts have no thread.
   */
  private static boolean live(ContactRecord c) {
    return "APPROVED".equals(c.state()) || "SUSPENDED".equals(c.state());
  }

  private static boolean messageable(PrisonerSnapshot s, ContactRecord c) {
    if (!live(c)) {
      return false;
    }
    Optional<ContactPolicy> policy = s.policy(c.id());
    return policy.isPresent() && (policy.get().channels().contains(Channel.MESSAGE)
        || policy.get().stepUp().stream().anyMatch(st -> st.channels() != null && st.channels().contains(Channel.MESSAGE)));
  }

  /** Children whose messages this adult holds. */
  private Future<List<String>> heldChildren(String adultId) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.MESSAGE_HOLDERS))
        .map(all -> all.entrySet().stream().filter(e -> e.getValue().equals(adultId)).map(Map.Entry::getKey).sorted().toList());
  }

  /** The thread of one contact, with both sides named. */
  Future<Conversation> build(PrisonerSnapshot snap, ContactRecord c) {
    return build(snap, c, parties);
  }

  private Future<Conversation> build(PrisonerSnapshot snap, ContactRecord c, Parties parties) {
    boolean privileged = snap.policy(c.id()).map(pol -> pol.oversight() == Oversight.PRIVILEGED).orElse(false);
    // both directory reads at once: neither depends on the other
    Future<Optional<Parties.PartyInfo>> partyRead = parties.party(c.partyId());
    return parties.prisoner(c.prisonerId()).compose(home -> {
      if (home.isEmpty()) {
        return Future.failedFuture(DomainException.notFound("The contact's prisoner is not on record."));
      }
      Conversation.Side mine = prisonerSide(home.get(), c.id());
      return partyRead.compose(found -> {
        if (found.isEmpty()) {
          return Future.failedFuture(DomainException.notFound("The contact's other party is not on record."));
        }
        Parties.PartyInfo party = found.get();
        if (party.isPrisoner()) {
          Parties.PrisonerInfo other = party.prisoner();
          return snapshots.get(other.id()).map(otherSnap -> {
            String back = otherSnap.contactWith(home.get().id()).filter(Conversations::live)
                .map(ContactRecord::id).orElse(null);
            return new Conversation(idOf(c), List.of(mine, prisonerSide(other, back)), privileged);
          });
        }
        if (party.child()) {
          return redis.<String>call(r -> r.hget(Keys.MESSAGE_HOLDERS, party.id())).compose(holderId -> holderId == null
              ? Future.succeededFuture(new Conversation(c.id(), List.of(mine,
                  new Conversation.Side("none:" + party.id(), party.name(), party.kind(), c.id(), null, null,
                      new Conversation.Party(party.id(), party.name(), party.kind()))), privileged))
              : parties.party(holderId).map(holder -> new Conversation(c.id(), List.of(mine,
                  new Conversation.Side(holderId, holder.map(Parties.PartyInfo::name).orElse(""),
                      holder.map(Parties.PartyInfo::kind).orElse("OTHER"), c.id(), null, null,
                      new Conversation.Party(party.id(), party.name(), party.kind()))), privileged)));
        }
        return Future.succeededFuture(new Conversation(c.id(), List.of(mine,
            new Conversation.Side(party.id(), party.name(), party.kind(), c.id(), null, null, null)), privileged));
      });
    });
  }

  private static Conversation.Side prisonerSide(Parties.PrisonerInfo p, String contactId) {
    return new Conversation.Side(p.id(), p.name(), "PRISONER", contactId, p.establishment(), p.prisonNumber(), null);
  }

  private static <T> Future<T> notFound(String contactId) {
    return Future.failedFuture(DomainException.notFound("There is no such conversation for you."));
  }
}
