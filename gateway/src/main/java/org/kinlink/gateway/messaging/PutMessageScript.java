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

  /** Writes {@code record} (whose {@code v} is {@code expectedVersion + 1}) under {@code key}. */
  Future<Result> run(String conversationId, String key, int expectedVersion, JsonObject record) {
    String[] keys = {Keys.conversationMessages(conversationId), Keys.conversationFeed(conversationId),
        Keys.conversationFeedSeq(conversationId)};
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, key, Integer.toString(expectedVersion),
        record.encode()).map(out -> {
          boolean written = ((Number) out.get(0)).longValue() == 1;
          String stored = String.valueOf(out.get(2));
          return new Result(written, ((Number) out.get(1)).longValue(), stored.isEmpty() ? null : new JsonObject(stored));
        });
  }
}
