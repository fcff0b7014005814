package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Reads contacts, their version history and clearance straight from Redis (API reads are always
 * fresh; only decisions use the cached {@link PolicySnapshots}). Writes go through {@link VersionedWrites}.
 */
public final class ContactStore {
  private final Redis redis;
  private final PolicySnapshots snapshots;

  public ContactStore(Redis redis, PolicySnapshots snapshots) {
    this.redis = redis;
    this.snapshots = snapshots;
  }

  /** The contact, if it exists (its owner is looked up first). */
  public Future<Optional<ContactRecord>> get(String contactId) {
    return snapshots.ownerOf(contactId).compose(owner -> owner.isEmpty()
        ? Future.succeededFuture(Optional.empty())
        : get(owner.get(), contactId));
  }

  /** The contact of this prisoner, if it exists. */
  public Future<Optional<ContactRecord>> get(String prisonerId, String contactId) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.contact(prisonerId, contactId)))
        .map(h -> Optional.ofNullable(ContactRecord.fromHash(h)));
  }

  /** Every contact of a prisoner, oldest first, read at one instant. */
  public Future<List<ContactRecord>> list(String prisonerId) {
    return snapshots.load(prisonerId).map(s -> s.contacts().values().stream()
        .sorted(Comparator.comparing(ContactRecord::createdAt).thenComparing(ContactRecord::id)).toList());
  }

  /** Every version of a contact's policy, newest first. */
  public Future<List<PolicyVersion>> versions(String prisonerId, String contactId) {
    return versionList(Keys.contactVersions(prisonerId, contactId));
  }

  /** The prisoner's clearance (unassessed when never set here). */
  public Future<ClearanceRecord> clearance(String prisonerId) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.clearance(prisonerId)))
        .map(h -> ClearanceRecord.fromHash(prisonerId, h));
  }

  /** Every clearance version, newest first. */
  public Future<List<PolicyVersion>> clearanceVersions(String prisonerId) {
    return versionList(Keys.clearanceVersions(prisonerId));
  }

  /** Records which prisoner a new contact id belongs to; fails if the id is taken. */
  public Future<Boolean> claimOwner(String contactId, String prisonerId) {
    return redis.<Boolean>call(c -> c.setnx(Keys.contactOwner(contactId), prisonerId));
  }

  /** Lets a party find the contacts they are party to. */
  public Future<Void> indexParty(String partyId, String prisonerId, String contactId) {
    return redis.<Long>call(c -> c.sadd(Keys.personContacts(partyId), prisonerId + "/" + contactId)).mapEmpty();
  }

  /** "prisonerId/contactId" of every contact a party is party to (some may never have been written). */
  public Future<Set<String>> partyContacts(String partyId) {
    return redis.<Set<String>>call(c -> c.smembers(Keys.personContacts(partyId)));
  }

  /** Remembers when a timed suspension ends (re-indexing the same contact moves its end). */
  public Future<Void> indexSuspensionEnd(String prisonerId, String contactId, java.time.Instant until) {
    return redis.<Long>call(c -> c.zadd(Keys.CONTACTS_SUSPENSIONS, (double) until.toEpochMilli(),
        prisonerId + "/" + contactId)).mapEmpty();
  }

  private Future<List<PolicyVersion>> versionList(String key) {
    return redis.<List<String>>call(c -> c.lrange(key, 0, -1))
        .map(list -> list.stream().map(s -> PolicyVersion.fromJson(new JsonObject(s))).toList());
  }
}
