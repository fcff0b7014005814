package org.kinlink.gateway.settings;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * {@code lua/settings-write.lua}: replaces a settings hash's fields if they still hold the values
 * read, parking the change's audit entry in the hash's outbox in the same step.
 */
final class SettingsWriteScript {
  private static final LuaScript SCRIPT = LuaScript.load("settings-write");

  enum Result {
    WRITTEN,
    /** A field no longer holds what was read: read again. */
    STALE,
    /** An earlier change's audit entry is still parked: append it first. */
    EARLIER_PARKED
  }

  private final Redis redis;

  SettingsWriteScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * @param read the target's fields as read (a field absent from the hash is absent here)
   * @param next the new value of every one of the target's fields
   */
  Future<Result> run(AuditedSettings.Target target, Map<String, String> read, Map<String, String> next, JsonObject outboxEntry) {
    String[] keys = {target.hashKey(), target.outboxKey()};
    List<String> args = new ArrayList<>(List.of(outboxEntry.getString(AuditOutbox.CHANGE_ID), outboxEntry.encode()));
    for (String field : target.fields()) {
      args.add(field);
      args.add(read.getOrDefault(field, ""));
      args.add(next.get(field));
    }
    return redis.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, keys, args.toArray(String[]::new))
        .map(n -> n > 0 ? Result.WRITTEN : n == 0 ? Result.STALE : Result.EARLIER_PARKED);
  }
}
