package org.kinlink.gateway.messaging;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/messaging-put.lua}: create a message once, or change it if nobody else did first. */
final class PutMessageScript {
  private static final LuaScript SCRIPT = LuaScript.load("messaging-put");

  /**
   * The script's answer.
   *
   * @param written false when the key already existed (create) or the version moved on (change)
   * @param record the stored record after the call (the existing one when refused; null if none)
   */
  record Result(boolean written, long feed, JsonObject record) {}

  private final Redis redis;

  PutMessageScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * Writes {@code record} (whose {@code v} is {@code expectedVersion + 1}) under {@code key}; when
   * written, the answer's record is {@code record} itself with its {@code feed} (and {@code seq}) set.
   */
  Future<Result> run(String conversationId, String key, int expectedVersion, JsonObject record) {
    String[] keys = {Keys.conversationMessages(conversationId), Keys.conversationFeed(conversationId),
        Keys.conversationFeedSeq(conversationId)};
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, key, Integer.toString(expectedVersion),
        record.encode()).map(out -> {
          long feed = ((Number) out.get(1)).longValue();
          if (((Number) out.get(0)).longValue() == 1) {
            // the stored record is the one sent with its place in the feed (and, when created, its order):
            // made here rather than read back and parsed from the script's answer
            if (expectedVersion == 0) {
              record.put("seq", feed);
            }
            return new Result(true, feed, record.put("feed", feed));
          }
          String stored = String.valueOf(out.get(2));
          return new Result(false, feed, stored.isEmpty() ? null : new JsonObject(stored));
        });
  }
}
