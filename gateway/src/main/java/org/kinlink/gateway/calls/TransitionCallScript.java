package org.kinlink.gateway.calls;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * {@code lua/calls-transition.lua}: replaces a call record if its version and state are still the
 * ones read, parking the change's audit entries beside it in the same step.
 */
final class TransitionCallScript {
  private static final LuaScript SCRIPT = LuaScript.load("calls-transition");

  /** @param current the record after the call: the new one when written, else what is stored (null if none) */
  record Result(boolean written, JsonObject current) {}

  private final Redis redis;

  TransitionCallScript(Redis redis) {
    this.redis = redis;
  }

  Future<Result> run(String callId, int expectedVersion, Set<CallState> allowed, JsonObject next, List<JsonObject> outboxEntries) {
    String states = allowed.stream().map(Enum::name).collect(Collectors.joining(",", ",", ","));
    String[] keys = {Keys.call(callId), Keys.callOutbox(callId)};
    List<String> args = new ArrayList<>(List.of(Integer.toString(expectedVersion), states, next.encode()));
    for (JsonObject e : outboxEntries) {
      args.add(e.getString(AuditOutbox.CHANGE_ID));
      args.add(e.encode());
    }
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args.toArray(String[]::new)).map(out -> {
      String stored = String.valueOf(out.get(1));
      return new Result(((Number) out.get(0)).longValue() == 1, stored.isEmpty() ? null : new JsonObject(stored));
    });
  }
}
