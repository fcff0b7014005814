package org.kinlink.media.jitsi;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every gateway node must know of a call's media to act on it, whichever node created it: the
 * backend it is on, who was admitted and who prosody says is in the room, the Jibri session recording
 * it, whether a recorder failure or a supervisor's absence was already reported.
 * An end (staff, a restriction change, END_BY, the supervisor gone, a recorder failure) is learnt by
 * whichever node sees it first, so this state lives beside the calls (the gateway keeps it in Redis),
 * not in one node's memory. Fields are a flat string map per call.
 */
public interface SharedCallState {
  /** Every field of a call (empty when none). */
  CompletionStage<Map<String, String>> read(String callId);

  /** Sets fields, kept until {@code keepUntil} (a day after END_BY is plenty). */
  CompletionStage<Void> write(String callId, Map<String, String> fields, Instant keepUntil);

  /** Sets one field unless it is set already; answers whether this call set it (the first one wins). */
  CompletionStage<Boolean> writeOnce(String callId, String field, String value, Instant keepUntil);

  /** Removes one field; answers whether it was there (of several nodes removing it, one sees true). */
  CompletionStage<Boolean> remove(String callId, String field);

  /** One node's memory: for a single node and for tests of the backend alone. */
  static SharedCallState inMemory() {
    Map<String, Map<String, String>> all = new ConcurrentHashMap<>();
    return new SharedCallState() {
      @Override
      public CompletionStage<Map<String, String>> read(String callId) {
        return CompletableFuture.completedFuture(Map.copyOf(all.getOrDefault(callId, Map.of())));
      }

      @Override
      public CompletionStage<Void> write(String callId, Map<String, String> fields, Instant keepUntil) {
        all.computeIfAbsent(callId, id -> new ConcurrentHashMap<>()).putAll(fields);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletionStage<Boolean> writeOnce(String callId, String field, String value, Instant keepUntil) {
        Map<String, String> fields = all.computeIfAbsent(callId, id -> new ConcurrentHashMap<>(new HashMap<>()));
        return CompletableFuture.completedFuture(fields.putIfAbsent(field, value) == null);
      }

      @Override
      public CompletionStage<Boolean> remove(String callId, String field) {
        Map<String, String> fields = all.get(callId);
        return CompletableFuture.completedFuture(fields != null && fields.remove(field) != null);
      }
    };
  }
}
