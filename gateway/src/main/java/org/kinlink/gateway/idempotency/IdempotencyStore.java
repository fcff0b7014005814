package org.kinlink.gateway.idempotency;

import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.kinlink.gateway.redis.Redis;

/**
 * First answers in Redis, by the key their capability chose (in its record's slot). Writes made by a
 * Lua script remember the answer inside the script instead; both read it back with {@link #find}.
 */
public final class IdempotencyStore {
  private final Redis redis;

  public IdempotencyStore(Redis redis) {
    this.redis = redis;
  }

  /** The first answer stored under {@code redisKey} for this key (422 if it was another request); empty when none. */
  public Future<Optional<JsonObject>> find(String redisKey, IdempotencyKey key) {
    if (key == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return redis.<String>call(c -> c.get(redisKey))
        .map(stored -> stored == null ? Optional.empty() : Optional.of(key.check(new JsonObject(stored))));
  }

  /**
   * Remembers a first answer for {@link IdempotencyKey#TTL}, unless one is already there; true when this
   * call stored it (false: a concurrent first attempt won, and its answer is the one to give).
   */
  public Future<Boolean> remember(String redisKey, JsonObject stored) {
    return redis.<String>call(c -> c.set(redisKey, stored.encode(), SetArgs.Builder.nx().ex(IdempotencyKey.TTL)))
        .map("OK"::equals);
  }
}
