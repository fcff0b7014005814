package org.kinlink.gateway.audit;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * {@code audit-append.lua}: appends linked entries if the head is still {@code expected}, at most
 * once per change id. Every key it touches is declared here (head, entries, time index, applied
 * change ids, then each index key the batch touches).
 */
final class AuditAppendScript {
  private static final LuaScript SCRIPT = LuaScript.load("audit-append");
  /** How many recent change ids the chain remembers (bounded; see the script). */
  static final int CHANGE_IDS_KEPT = 100_000;

  /** A chain head. */
  record Head(long seq, String hash, long atMillis) {}

  /** What the script did. */
  sealed interface Reply {
    /** Written; the new head. */
    record Written(Head head) implements Reply {}

    /** Another appender moved the head: relink onto {@code head} and try again. */
    record Conflict(Head head) implements Reply {}

    /** Nothing written: these changes (change id -> seq) are on the chain already. */
    record AlreadyApplied(Map<String, Long> seqs) implements Reply {}
  }

  private final Redis redis;
  private final String ns;

  AuditAppendScript(Redis redis, String namespace) {
    this.redis = redis;
    this.ns = namespace;
  }

  Future<Reply> run(Head expected, List<AuditEntry> entries, Function<AuditEntry, List<String>> indexesOf) {
    List<String> keys = new ArrayList<>(List.of(Keys.auditHead(ns), Keys.auditEntries(ns), Keys.auditTime(ns),
        Keys.auditChangeIds(ns)));
    Map<String, Integer> positions = new LinkedHashMap<>();
    AuditEntry last = entries.get(entries.size() - 1);
    List<String> args = new ArrayList<>(List.of(Long.toString(expected.seq()), expected.hash(), Long.toString(last.seq()),
        last.hash(), Long.toString(last.at().toEpochMilli()), Integer.toString(entries.size()),
        Integer.toString(CHANGE_IDS_KEPT)));
    for (AuditEntry entry : entries) {
      List<String> indexes = indexesOf.apply(entry);
      args.add(Long.toString(entry.seq()));
      args.add(AuditCodec.encode(entry));
      args.add(Long.toString(entry.at().toEpochMilli()));
      String changeId = entry.event().changeId();
      args.add(changeId == null ? "" : changeId);
      args.add(Integer.toString(indexes.size()));
      for (String key : indexes) {
        // Lua KEYS are 1-based
        int position = positions.computeIfAbsent(key, k -> {
          keys.add(k);
          return keys.size();
        });
        args.add(Integer.toString(position));
      }
    }
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys.toArray(String[]::new), args.toArray(String[]::new))
        .map(AuditAppendScript::reply);
  }

  private static Reply reply(List<Object> r) {
    long code = (Long) r.get(0);
    if (code == 2L) {
      Map<String, Long> seqs = new LinkedHashMap<>();
      for (int i = 1; i + 1 < r.size(); i += 2) {
        seqs.put(String.valueOf(r.get(i)), (long) Double.parseDouble(String.valueOf(r.get(i + 1))));
      }
      return new Reply.AlreadyApplied(seqs);
    }
    Head head = new Head(Long.parseLong(String.valueOf(r.get(1))), String.valueOf(r.get(2)),
        Long.parseLong(String.valueOf(r.get(3))));
    return code == 1L ? new Reply.Written(head) : new Reply.Conflict(head);
  }
}
