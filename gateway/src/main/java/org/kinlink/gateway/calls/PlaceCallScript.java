package org.kinlink.gateway.calls;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.time.Duration;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/calls-place.lua}: a call takes a place in one establishment's or participant's indexes if there is room. */
final class PlaceCallScript {
  private static final LuaScript SCRIPT = LuaScript.load("calls-place");

  private final Redis redis;

  PlaceCallScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * @param index the establishment's or participant's calls by start; {@code active} its calls not yet over, in the same slot
   * @param limit how many other calls may overlap there (capacity; 1 for a participant)
   * @return whether the call has its place (true again for a retry)
   */
  Future<Boolean> run(String index, String active, String callId, long startMs, long endMs, Duration longest, int limit) {
    return redis.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new String[] {index, active}, callId, Long.toString(startMs),
        Long.toString(endMs), Long.toString(longest.toMillis()), Integer.toString(limit)).map(n -> n == 1);
  }
}
