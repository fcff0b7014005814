package org.kinlink.gateway.people;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code people-replace.lua}: compare-and-set of a record (plus lists), with its parked audit entry. */
final class ReplaceRecordScript {
  private static final LuaScript SCRIPT = LuaScript.load("people-replace");

  /** What came of it. */
  enum Result { REPLACED, CHANGED_MEANWHILE, GONE }

  private final Redis redis;

  ReplaceRecordScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * @param parked the outbox entry, or null when the write is not audited
   */
  Future<Result> run(String recordKey, List<String> lists, String expectedJson, String newJson, String id, Parked parked) {
    List<String> keys = new ArrayList<>(List.of(recordKey, Keys.dirAuditOutbox()));
    keys.addAll(lists);
    return redis.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, keys.toArray(String[]::new), expectedJson, newJson, id,
            parked == null ? "" : parked.changeId(), parked == null ? "" : parked.entry().encode())
        .map(r -> r == 1 ? Result.REPLACED : r == 0 ? Result.CHANGED_MEANWHILE : Result.GONE);
  }
}
