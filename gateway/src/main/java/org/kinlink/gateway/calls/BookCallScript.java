package org.kinlink.gateway.calls;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/calls-book.lua}: writes a new call record with its pending audit entry (the call's slot). */
final class BookCallScript {
  private static final LuaScript SCRIPT = LuaScript.load("calls-book");

  private final Redis redis;

  BookCallScript(Redis redis) {
    this.redis = redis;
  }

  /** @return false when a call with this id exists */
  Future<Boolean> run(JsonObject call, JsonObject outboxEntry) {
    String id = call.getString("id");
    return redis.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new String[] {Keys.call(id), Keys.callOutbox(id)}, call.encode(),
        outboxEntry.getString(org.kinlink.gateway.audit.AuditOutbox.CHANGE_ID), outboxEntry.encode()).map(n -> n == 1);
  }
}
