package org.kinlink.gateway.calls;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Calls in Redis (every key under the {@code {calls}} hash tag, see {@link Keys#call}): the record
 * as versioned JSON, indexes by establishment and by participant scored by start, the active set
 * scored by latest end (what the sweeper looks at), join links, signalling tickets and settings.
 */
final class CallStore {
  /** A call is never longer than this (bounds the overlap search in the booking script). */
  static final Duration LONGEST_CALL = Duration.ofHours(4);
  private static final int CHANGE_TRIES = 8;

  private final Redis redis;
  private final BookCallScript book;
  private final TransitionCallScript transition;
  private final RedeemLinkScript redeem;

  CallStore(Redis redis) {
    this.redis = redis;
    this.book = new BookCallScript(redis);
    this.transition = new TransitionCallScript(redis);
    this.redeem = new RedeemLinkScript(redis);
  }

  Future<Optional<JsonObject>> get(String callId) {
    return redis.<String>call(c -> c.get(Keys.call(callId))).map(s -> Optional.ofNullable(s).map(JsonObject::new));
  }

  Future<List<JsonObject>> getAll(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] keys = ids.stream().map(Keys::call).toArray(String[]::new);
    return redis.<List<KeyValue<String, String>>>call(c -> c.mget(keys))
        .map(values -> values.stream().filter(KeyValue::hasValue).map(kv -> new JsonObject(kv.getValue())).toList());
  }

  Future<BookCallScript.Result> book(JsonObject call, Instant start, Instant end, List<String> establishments,
      List<Integer> capacities, List<String> parties) {
    return book.run(call, start.toEpochMilli(), end.toEpochMilli(), establishments, capacities, parties, LONGEST_CALL);
  }

  /** The change to make to a record, or null to leave it as it is. */
  interface Change extends Function<JsonObject, JsonObject> {}

  /**
   * Reads the call, applies {@code change} and writes it if nobody else changed it meanwhile
   * (retrying on a lost race). Answers the written record, or empty when the state was not one of
   * {@code allowed} or the change declined.
   */
  Future<Optional<JsonObject>> change(String callId, Set<CallState> allowed, Change change) {
    return change(callId, allowed, change, CHANGE_TRIES);
  }

  private Future<Optional<JsonObject>> change(String callId, Set<CallState> allowed, Change change, int tries) {
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
      boolean terminal = CallState.valueOf(next.getString("state")).isFinal();
      Long end = next.containsKey("end_by") ? Instant.parse(next.getString("end_by")).toEpochMilli() : null;
      return transition.run(callId, v, allowed, next, terminal, end).compose(r -> {
        if (r.written()) {
          return Future.succeededFuture(Optional.of(r.current()));
        }
        if (tries <= 1) {
          return Future.failedFuture(ApiException.conflict("CALL_BUSY", "The call changed while we were updating it. Try again."));
        }
        return change(callId, allowed, change, tries - 1);
      });
    });
  }

  /** Ids from an index scored by start, from {@code from} to {@code to} (epoch ms), skipping {@code offset}. */
  Future<List<String>> range(String index, long from, long to, long offset, int count) {
    return redis.<List<String>>call(c -> c.zrangebyscore(index, Range.create(from, to), Limit.create(offset, count)));
  }

  /** Every active call with its latest end. */
  Future<List<ScoredValue<String>>> active() {
    return redis.call(c -> c.zrangeWithScores(Keys.CALLS_ACTIVE, 0, -1));
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
