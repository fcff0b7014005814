package org.kinlink.gateway.messaging;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/messaging-put.lua}: create a message once, its audit event parked beside it. */
final class PutMessageScript {
  private static final LuaScript SCRIPT = LuaScript.load("messaging-put");

  /**
   * The script's answer.
   *
   * @param written false when the key already existed (a create) or the version moved on (a change)
   * @param record the stored record after the call (the existing one when refused; null if none)
   */
  record Result(boolean written, long feed, JsonObject record) {}

  private final Redis redis;

  PutMessageScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * Creates {@code record} (version 1) under {@code key} and parks {@code outboxEntry} (an
   * {@link org.kinlink.gateway.audit.AuditOutbox#entry}); when written, the answer's record is
   * {@code record} itself with its {@code seq} and {@code feed} set.
   */
  Future<Result> run(String conversationId, String key, JsonObject record, JsonObject outboxEntry) {
    String[] keys = {Keys.conversationMessages(conversationId), Keys.conversationFeed(conversationId),
        Keys.conversationFeedSeq(conversationId), Keys.conversationAuditOutbox(conversationId)};
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, key, record.encode(),
        outboxEntry.getString(org.kinlink.gateway.audit.AuditOutbox.CHANGE_ID), outboxEntry.encode()).map(out -> {
      long feed = ((Number) out.get(1)).longValue();
      if (((Number) out.get(0)).longValue() == 1) {
        // made here from what was sent, rather than read back and parsed from the script's answer
        return new Result(true, feed, record.put("seq", feed).put("feed", feed));
      }
      return new Result(false, feed, new JsonObject(String.valueOf(out.get(2))));
    });
  }
}
