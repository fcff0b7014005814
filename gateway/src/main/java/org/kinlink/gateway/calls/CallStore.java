package org.kinlink.gateway.calls;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.ZAddArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Calls in Redis, spread over the cluster (see {@link Keys#call}): the record as versioned JSON with
 * its audit outbox in the call's own slot; per establishment and per participant an index scored by
 * start and the calls not yet over scored by latest end (what capacity, clashes and the sweeper look
 * at), each in that establishment's or participant's slot; join links, signalling tickets and settings.
 */
final class CallStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallStore.class);
  /** A call is never longer than this (bounds the overlap search when placing a call). */
  static final Duration LONGEST_CALL = Duration.ofHours(4);
  private static final int CHANGE_TRIES = 8;

  private final Redis redis;
  private final CallOutbox outbox;
  private final PlaceCallScript place;
  private final BookCallScript book;
  private final TransitionCallScript transition;
  private final RedeemLinkScript redeem;

  CallStore(Redis redis, CallOutbox outbox) {
    this.redis = redis;
    this.outbox = outbox;
    this.place = new PlaceCallScript(redis);
    this.book = new BookCallScript(redis);
    this.transition = new TransitionCallScript(redis);
    this.redeem = new RedeemLinkScript(redis);
  }

  Future<Optional<JsonObject>> get(String callId) {
    return redis.<String>call(c -> c.get(Keys.call(callId))).map(s -> Optional.ofNullable(s).map(JsonObject::new));
  }

  /** The records of {@code ids} that exist, in order (Lettuce splits the MGET by slot on a cluster). */
  Future<List<JsonObject>> getAll(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] keys = ids.stream().distinct().map(Keys::call).toArray(String[]::new);
    return redis.<List<KeyValue<String, String>>>call(c -> c.mget(keys))
        .map(values -> values.stream().filter(KeyValue::hasValue).map(kv -> new JsonObject(kv.getValue())).toList());
  }

  /**
   * Why a booking was refused: FULL (an establishment has no room), CLASH (a participant is busy) or
   * EXISTS; {@code who} names the establishment or participant.
   */
  record Refusal(String why, String who) {}

  /**
   * Books a call: places it in each establishment's indexes (within its capacity) and each
   * participant's (no clash), then writes the record with its audit entry parked, and appends that
   * entry. A refused place takes back the places before it; a node that dies between places leaves a
   * place that only counts against capacity until the call's end time, never one that lets a call in.
   *
   * @param audited the audit event of the booking, parked with the record
   * @param before done once the record is written, before the entry is appended
   * @return empty when booked, else the refusal
   */
  Future<Optional<Refusal>> book(JsonObject call, Instant start, Instant end, List<String> establishments,
      List<Integer> capacities, List<String> parties, AuditEvent audited, Supplier<Future<Void>> before) {
    String id = call.getString("id");
    List<String[]> places = new ArrayList<>();
    for (String e : establishments) {
      places.add(new String[] {Keys.callsOfEstablishment(e), Keys.activeCallsOfEstablishment(e), "FULL", e});
    }
    for (String p : parties) {
      places.add(new String[] {Keys.callsOfParty(p), Keys.activeCallsOfParty(p), "CLASH", p});
    }
    String[] ests = establishments.toArray(String[]::new);
    Future<Optional<Refusal>> chain = redis.<Long>call(c -> c.sadd(Keys.CALL_ESTABLISHMENTS, ests)).map(n -> Optional.empty());
    for (int i = 0; i < places.size(); i++) {
      String[] at = places.get(i);
      int limit = i < establishments.size() ? capacities.get(i) : 1;
      int placed = i;
      chain = chain.compose(refused -> refused.isPresent() ? Future.succeededFuture(refused)
          : place.run(at[0], at[1], id, start.toEpochMilli(), end.toEpochMilli(), LONGEST_CALL, limit)
              .compose(ok -> ok ? Future.succeededFuture(Optional.<Refusal>empty())
                  : unplace(id, places.subList(0, placed)).map(v -> Optional.of(new Refusal(at[2], at[3])))));
    }
    List<JsonObject> entries = outbox.entries(List.of(audited));
    return chain.compose(refused -> refused.isPresent() ? Future.succeededFuture(refused)
        : outbox.mark(id).compose(v -> book.run(call, entries.get(0))).compose(written -> written
            ? outbox.complete(id, entries, before).map(Optional.<Refusal>empty())
            // the places are that call's (ids are random: only a retry of the same booking gets here)
            : Future.succeededFuture(Optional.of(new Refusal("EXISTS", null)))));
  }

  private Future<Void> unplace(String callId, List<String[]> places) {
    List<Future<?>> undo = new ArrayList<>();
    for (String[] at : places) {
      undo.add(redis.<Long>call(c -> c.zrem(at[0], callId)));
      undo.add(redis.<Long>call(c -> c.zrem(at[1], callId)));
    }
    return Future.all(undo).mapEmpty();
  }

  /** The change to make to a record, or null to leave it as it is. */
  interface Change extends Function<JsonObject, JsonObject> {}

  /** What to audit about a written change (nothing: an empty list). */
  interface Audits extends Function<JsonObject, List<AuditEvent>> {}

  /** A change with nothing of its own to audit (the action that caused it is audited by its caller). */
  Future<Optional<JsonObject>> change(String callId, Set<CallState> allowed, Change change) {
    return change(callId, allowed, change, rec -> List.of(), rec -> Future.succeededFuture());
  }

  /**
   * Reads the call, applies {@code change} and writes it, with its audit entries parked, if nobody
   * else changed it meanwhile (retrying on a lost race); then brings the establishments' and
   * participants' active indexes up to date, runs {@code before} (telling participants) and appends
   * the entries. Answers the written record, or empty when the state was not one of {@code allowed}
   * or the change declined.
   */
  Future<Optional<JsonObject>> change(String callId, Set<CallState> allowed, Change change, Audits audits,
      Function<JsonObject, Future<Void>> before) {
    return change(callId, allowed, change, audits, before, CHANGE_TRIES);
  }

  private Future<Optional<JsonObject>> change(String callId, Set<CallState> allowed, Change change, Audits audits,
      Function<JsonObject, Future<Void>> before, int tries) {
    return get(callId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("There is no call " + callId + "."));
      }
      JsonObject current = found.get();
      if (!allowed.contains(CallState.valueOf(current.getString("state")))) {
        return Future.succeededFuture(Optional.empty());
      }
      JsonObject next = change.apply(current.copy());
      if (next == null) {
        return Future.succeededFuture(Optional.empty());
      }
      int v = current.getInteger("v");
      next.put("v", v + 1);
      List<JsonObject> entries = outbox.entries(audits.apply(next));
      Future<Void> marked = entries.isEmpty() ? Future.succeededFuture() : outbox.mark(callId);
      return marked.compose(x -> transition.run(callId, v, allowed, next, entries)).compose(r -> {
        if (r.written()) {
          return reindex(current, r.current())
              .compose(x -> entries.isEmpty() ? before.apply(r.current()) : outbox.complete(callId, entries, () -> before.apply(r.current())))
              .map(x -> Optional.of(r.current()));
        }
        if (tries <= 1) {
          return Future.failedFuture(ApiException.conflict("CALL_BUSY", "The call changed while we were updating it. Try again."));
        }
        return change(callId, allowed, change, audits, before, tries - 1);
      });
    });
  }

  /**
   * Takes a call that is over out of its establishments' and participants' active indexes, or moves
   * its latest end there. The record is already written: a failure here is logged, and the sweeper
   * ({@link #forget}) finishes it for establishments; a participant's stale entry stops counting at the call's end.
   */
  private Future<Void> reindex(JsonObject before, JsonObject after) {
    boolean over = CallState.valueOf(after.getString("state")).isFinal();
    boolean moved = !before.getString("end_by").equals(after.getString("end_by"));
    if (!over && !moved) {
      return Future.succeededFuture();
    }
    String id = after.getString("id");
    double end = Instant.parse(after.getString("end_by")).toEpochMilli();
    List<String> actives = new ArrayList<>();
    // participants first: the establishments' entries are what the sweeper heals from
    CallsService.partyIdsOf(after).forEach(p -> actives.add(Keys.activeCallsOfParty(p)));
    after.getJsonArray("establishments").forEach(e -> actives.add(Keys.activeCallsOfEstablishment(String.valueOf(e))));
    Future<Void> chain = Future.succeededFuture();
    for (String key : actives) {
      chain = chain.compose(v -> (over ? redis.<Long>call(c -> c.zrem(key, id))
          : redis.<Long>call(c -> c.zadd(key, ZAddArgs.Builder.xx(), end, id))).<Void>mapEmpty());
    }
    return chain.recover(e -> {
      LOG.warn("call {} changed but its active indexes could not be updated; the sweeper finishes it", id, e);
      return Future.succeededFuture();
    });
  }

  /** Takes a call that is over (or was never written) out of an establishment's and its participants' active indexes. */
  Future<Void> forget(String establishment, String callId, List<String> parties) {
    List<Future<?>> all = new ArrayList<>();
    parties.forEach(p -> all.add(redis.<Long>call(c -> c.zrem(Keys.activeCallsOfParty(p), callId))));
    return Future.all(all).compose(v -> redis.<Long>call(c -> c.zrem(Keys.activeCallsOfEstablishment(establishment), callId)))
        .mapEmpty();
  }

  /** Ids from an index scored by start, from {@code from} to {@code to} (epoch ms), skipping {@code offset}. */
  Future<List<String>> range(String index, long from, long to, long offset, int count) {
    return redis.<List<String>>call(c -> c.zrangebyscore(index, Range.create(from, to), Limit.create(offset, count)));
  }

  /** The calls of one establishment not yet over, with their latest end. */
  Future<List<ScoredValue<String>>> active(String establishment) {
    return redis.call(c -> c.zrangeWithScores(Keys.activeCallsOfEstablishment(establishment), 0, -1));
  }

  /** Every establishment that has had calls. */
  Future<Set<String>> establishments() {
    return redis.call(c -> c.smembers(Keys.CALL_ESTABLISHMENTS));
  }

  Future<Void> putLink(String tokenSha, JsonObject link, Instant expires, Instant now) {
    long ms = Math.max(1000, Duration.between(now, expires).toMillis());
    return redis.<String>call(c -> c.set(Keys.callJoinLink(tokenSha), link.encode(), SetArgs.Builder.px(ms))).mapEmpty();
  }

  Future<Optional<JsonObject>> link(String tokenSha) {
    return redis.<String>call(c -> c.get(Keys.callJoinLink(tokenSha))).map(s -> Optional.ofNullable(s).map(JsonObject::new));
  }

  Future<RedeemLinkScript.Result> redeemLink(String tokenSha, String deviceId, Instant now) {
    return redeem.run(tokenSha, deviceId, now);
  }

  Future<Void> putTicket(String ticketSha, JsonObject ticket, Instant expires, Instant now) {
    long ms = Math.max(1000, Duration.between(now, expires).toMillis());
    return redis.<String>call(c -> c.set(Keys.callTicket(ticketSha), ticket.encode(), SetArgs.Builder.px(ms))).mapEmpty();
  }

  Future<Optional<JsonObject>> ticket(String ticketSha) {
    return redis.<String>call(c -> c.get(Keys.callTicket(ticketSha))).map(s -> Optional.ofNullable(s).map(JsonObject::new));
  }

  Future<CallSettings> settings(String establishment) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.callSettings(establishment))).map(CallSettings::fromHash);
  }

  Future<Void> putSettings(String establishment, CallSettings settings) {
    return redis.<Long>call(c -> c.hset(Keys.callSettings(establishment), settings.toHash())).mapEmpty();
  }
}
