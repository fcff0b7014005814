package org.kinlink.gateway.people;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code people-create.lua}: a record, its unique indexes and lists, and its parked audit entry, all or nothing. */
final class CreateRecordScript {
  private static final LuaScript SCRIPT = LuaScript.load("people-create");

  /** What came of it. */
  enum Result { CREATED, ID_TAKEN, INDEX_TAKEN }

  /** A unique index: its key and the value it maps to. */
  record Index(String key, String value) {}

  private final Redis redis;

  CreateRecordScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * @param parked the outbox entry, or null when the write is not audited (set-up, demo data)
   */
  Future<Result> run(String recordKey, String id, String json, List<Index> indexes, List<String> lists, Parked parked) {
    List<String> keys = new ArrayList<>(List.of(recordKey, Keys.dirAuditOutbox()));
    indexes.forEach(i -> keys.add(i.key()));
    keys.addAll(lists);
    List<String> args = new ArrayList<>(List.of(json, id, Integer.toString(indexes.size()),
        parked == null ? "" : parked.changeId(), parked == null ? "" : parked.entry().encode()));
    indexes.forEach(i -> args.add(i.value()));
    return redis.<String>eval(SCRIPT, ScriptOutputType.VALUE, keys.toArray(String[]::new), args.toArray(String[]::new))
        .map(r -> "OK".equals(r) ? Result.CREATED : r.startsWith("TAKEN") ? Result.INDEX_TAKEN : Result.ID_TAKEN);
  }
}
