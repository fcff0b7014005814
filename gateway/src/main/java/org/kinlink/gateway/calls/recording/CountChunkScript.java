package org.kinlink.gateway.calls.recording;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/calls-recording-count.lua}: a chunk whose file is written counted in the recording's counters, once per seq. */
final class CountChunkScript {
  private static final LuaScript SCRIPT = LuaScript.load("calls-recording-count");

  /**
   * {@code counted} false: that seq was counted already (nothing changed); the counters as they now stand;
   * {@code legacy}: that seq is a chunk kept in Redis from before chunks were files (it is the one played).
   */
  record Result(boolean counted, long chunks, long bytes, boolean legacy) {}

  private final Redis redis;

  CountChunkScript(Redis redis) {
    this.redis = redis;
  }

  /** @param at when the chunk arrived, or null to leave the recording's {@code last} alone (an upload of a finished recording) */
  Future<Result> run(String recordingId, long seq, long plainBytes, Instant at) {
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI,
        new String[] {Keys.recordingCounts(recordingId), Keys.recordingSeqs(recordingId), Keys.recordingChunk(recordingId, seq)},
        Long.toString(plainBytes), Long.toString(seq), at == null ? "" : at.toString())
        .map(out -> new Result((Long) out.get(0) == 1L, (Long) out.get(1), (Long) out.get(2), (Long) out.get(3) == 1L));
  }
}
