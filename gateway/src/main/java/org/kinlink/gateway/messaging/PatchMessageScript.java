package org.kinlink.gateway.messaging;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/messaging-patch.lua}: change the fields of a message that differ, if nobody else changed it first. */
final class PatchMessageScript {
  private static final LuaScript SCRIPT = LuaScript.load("messaging-patch");

  private final Redis redis;

  PatchMessageScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * Writes {@code edited} over {@code current} (as read, version {@code v}) by sending only the
   * top-level fields that differ; the answer's record, when written, is {@code edited} with its new
   * {@code v} and {@code feed}.
   */
  Future<PutMessageScript.Result> run(String conversationId, String key, JsonObject current, JsonObject edited) {
    int version = current.getInteger("v");
    JsonObject changes = new JsonObject();
    for (String field : edited.fieldNames()) {
      if (!Objects.equals(edited.getValue(field), current.getValue(field))) {
        changes.put(field, edited.getValue(field));
      }
    }
    for (String field : current.fieldNames()) {
      if (!edited.containsKey(field)) {
        changes.putNull(field);
      }
    }
    changes.remove("v");
    changes.remove("feed");
    String[] keys = {Keys.conversationMessages(conversationId), Keys.conversationFeed(conversationId),
        Keys.conversationFeedSeq(conversationId)};
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, key, Integer.toString(version), changes.encode())
        .map(out -> {
          long feed = ((Number) out.get(1)).longValue();
          if (((Number) out.get(0)).longValue() == 1) {
            return new PutMessageScript.Result(true, feed, edited.copy().put("v", version + 1).put("feed", feed));
          }
          String stored = String.valueOf(out.get(2));
          return new PutMessageScript.Result(false, feed, stored.isEmpty() ? null : new JsonObject(stored));
        });
  }
}
