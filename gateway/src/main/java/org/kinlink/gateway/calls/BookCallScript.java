package org.kinlink.gateway.calls;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/calls-book.lua}: write a call only if each establishment has room and no participant is busy then. */
final class BookCallScript {
  private static final LuaScript SCRIPT = LuaScript.load("calls-book");

  /**
   * The script's answer.
   *
   * @param refusal null when booked, else FULL, CLASH or EXISTS
   * @param who the full establishment or the busy participant
   */
  record Result(String refusal, String who) {
    boolean booked() {
      return refusal == null;
    }
  }

  private final Redis redis;

  BookCallScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * @param capacities the concurrent-call capacity of each of {@code establishments}, in order
   * @param longest no call is longer than this (bounds the overlap search)
   */
  Future<Result> run(JsonObject call, long startMs, long endMs, List<String> establishments, List<Integer> capacities,
      List<String> parties, Duration longest) {
    List<String> keys = new ArrayList<>();
    keys.add(Keys.call(call.getString("id")));
    keys.add(Keys.CALLS_ACTIVE);
    establishments.forEach(e -> keys.add(Keys.callsOfEstablishment(e)));
    parties.forEach(p -> keys.add(Keys.callsOfParty(p)));
    List<String> args = new ArrayList<>(List.of(call.encode(), call.getString("id"), Long.toString(startMs),
        Long.toString(endMs), Integer.toString(establishments.size()), Long.toString(longest.toMillis())));
    capacities.forEach(c -> args.add(Integer.toString(c)));
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys.toArray(String[]::new), args.toArray(String[]::new))
        .map(out -> {
          if (((Number) out.get(0)).longValue() == 1) {
            return new Result(null, null);
          }
          String why = String.valueOf(out.get(1));
          if (out.size() < 3) {
            return new Result(why, null);
          }
          int index = ((Number) out.get(2)).intValue() - 1;
          return new Result(why, "FULL".equals(why) ? establishments.get(index) : parties.get(index));
        });
  }
}
