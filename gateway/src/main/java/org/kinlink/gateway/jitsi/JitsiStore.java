package org.kinlink.gateway.jitsi;

import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import org.kinlink.gateway.redis.Redis;

/**
 * Reservations prosody holds, shared by every node (the 409 follow-up {@code GET} may reach another
 * node than the {@code POST}).
 *
 * <p>Keys: {@code jitsi:resv:room:{room}} -> reservation id (SET NX: the first answer wins, so a
 * replayed or concurrent {@code POST} finds the same reservation and has no second effect), and
 * {@code jitsi:resv:id:{id}} -> the reservation JSON. Both expire a day after END_BY.
 */
final class JitsiStore {
  private static final Duration KEEP_AFTER_END = Duration.ofDays(1);
  private final Redis redis;

  JitsiStore(Redis redis) {
    this.redis = redis;
  }

  static String roomKey(String room) {
    return "jitsi:resv:room:{" + room + "}";
  }

  static String idKey(String id) {
    return "jitsi:resv:id:{" + id + "}";
  }

  /** Stores a reservation unless the room has one; answers the id that holds the room. */
  Future<String> reserve(String room, JsonObject reservation, Duration life) {
    long ttl = life.plus(KEEP_AFTER_END).toSeconds();
    String id = String.valueOf(reservation.getValue("id"));
    return redis.call(c -> c.set(idKey(id), reservation.encode(), SetArgs.Builder.ex(ttl)))
        .compose(v -> redis.call(c -> c.set(roomKey(room), id, SetArgs.Builder.nx().ex(ttl))))
        .compose(ok -> "OK".equals(ok) ? Future.succeededFuture(id) : redis.<String>call(c -> c.get(roomKey(room))));
  }

  Future<Optional<JsonObject>> get(String id) {
    return redis.<String>call(c -> c.get(idKey(id))).map(s -> Optional.ofNullable(s).map(JsonObject::new));
  }

  /** Forgets a reservation; answers true the first time only. */
  Future<Boolean> delete(String id) {
    return get(id).compose(r -> {
      if (r.isEmpty()) {
        return Future.succeededFuture(false);
      }
      String room = r.get().getString("name");
      // two commands: the keys live in different cluster slots
      return redis.call(c -> c.del(idKey(id))).compose(n -> redis.call(c -> c.del(roomKey(room))).map(m -> n > 0));
    });
  }
}
