package org.kinlink.gateway.calls.recording;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/calls-recording-chunk.lua}: a sealed chunk stored once per seq, with the recording's counters, atomically. */
final class StoreChunkScript {
  private static final LuaScript SCRIPT = LuaScript.load("calls-recording-chunk");

  /** {@code stored} false: that seq was already there (nothing changed); the counters as they now stand. */
  record Result(boolean stored, long chunks, long bytes) {}

  private final Redis redis;

  StoreChunkScript(Redis redis) {
    this.redis = redis;
  }

  /** @param at when the chunk arrived, or null to leave the recording's {@code last} alone (an upload of a finished recording) */
  Future<Result> run(String recordingId, long seq, byte[] sealed, int plainBytes, Instant at) {
    return redis.<List<Object>>evalBinary(SCRIPT, ScriptOutputType.MULTI,
        new String[] {Keys.recordingChunk(recordingId, seq), Keys.recordingCounts(recordingId)},
        sealed, text(Integer.toString(plainBytes)), text(Long.toString(seq)), text(at == null ? "" : at.toString()))
        .map(out -> new Result(((Long) out.get(0)) == 1L, (Long) out.get(1), (Long) out.get(2)));
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
