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
  private final IndexPager pager;

  public ContactStore(Redis redis, PolicySnapshots snapshots) {
    this.redis = redis;
    this.snapshots = snapshots;
    this.pager = new IndexPager(redis);
  }

  /** A page of a prisoner's contacts, oldest first, of those {@code keep} accepts. */
  Future<IndexPager.Page> contactPage(String prisonerId, IndexPager.After after, int limit,
      java.util.function.Predicate<ContactRecord> keep) {
    return pager.page(Keys.prisonerContacts(prisonerId), after, limit, id -> get(prisonerId, id), keep);
  }

  /** A page of an establishment's approval queue, oldest first, of those {@code keep} accepts. */
  Future<IndexPager.Page> pendingPage(String establishment, IndexPager.After after, int limit,
      java.util.function.Predicate<ContactRecord> keep) {
    return pager.page(Keys.contactsPending(establishment), after, limit, ref -> {
      int slash = ref.indexOf('/');
      return get(ref.substring(0, slash), ref.substring(slash + 1));
    }, keep);
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

  /** Up to {@code count} versions of a contact's policy older than {@code before} (null: the newest), newest first. */
  public Future<List<PolicyVersion>> versions(String prisonerId, String contactId, Integer before, int count) {
    return versionList(Keys.contactVersions(prisonerId, contactId), before, count);
  }

  /** The prisoner's clearance (unassessed when never set here). */
  public Future<ClearanceRecord> clearance(String prisonerId) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.clearance(prisonerId)))
        .map(h -> ClearanceRecord.fromHash(prisonerId, h));
  }

  /** Up to {@code count} clearance versions older than {@code before} (null: the newest), newest first. */
  public Future<List<PolicyVersion>> clearanceVersions(String prisonerId, Integer before, int count) {
    return versionList(Keys.clearanceVersions(prisonerId), before, count);
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

  /** Puts a new contact in its establishment's approval queue (before it is written, so it is never missed). */
  public Future<Void> indexPending(String establishment, String prisonerId, String contactId, java.time.Instant created) {
    return redis.<Long>call(c -> c.zadd(Keys.contactsPending(establishment), (double) created.toEpochMilli(),
        prisonerId + "/" + contactId)).mapEmpty();
  }

  /** Takes a contact out of the approval queue once it is no longer pending (best effort: reads check the state). */
  public void unindexPending(String establishment, String prisonerId, String contactId) {
    redis.<Long>call(c -> c.zrem(Keys.contactsPending(establishment), prisonerId + "/" + contactId));
  }

  /** Remembers when a timed suspension ends (re-indexing the same contact moves its end). */
  public Future<Void> indexSuspensionEnd(String prisonerId, String contactId, java.time.Instant until) {
    return redis.<Long>call(c -> c.zadd(Keys.CONTACTS_SUSPENSIONS, (double) until.toEpochMilli(),
        prisonerId + "/" + contactId)).mapEmpty();
  }

  /**
   * Versions are numbered 1..n with n at the head of the list, so version v sits at index n - v. A
   * version written between LLEN and LRANGE shifts the list by one: the versions read are filtered by
   * number, so a page never repeats one, and the next page starts from the last one shown.
   */
  private Future<List<PolicyVersion>> versionList(String key, Integer before, int count) {
    return redis.<Long>call(c -> c.llen(key)).compose(n -> {
      long start = before == null ? 0 : Math.max(0, n - before + 1);
      return redis.<List<String>>call(c -> c.lrange(key, start, start + count));
    }).map(list -> list.stream().map(s -> PolicyVersion.fromJson(new JsonObject(s)))
        .filter(v -> before == null || v.version() < before).limit(count).toList());
  }
}
