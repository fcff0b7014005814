package org.kinlink.gateway.calls;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/calls-link-redeem.lua}: the first device to redeem a join link owns it; every other device is refused. */
final class RedeemLinkScript {
  private static final LuaScript SCRIPT = LuaScript.load("calls-link-redeem");

  enum Outcome { OK, USED, MISSING }

  record Result(Outcome outcome, JsonObject link) {}

  private final Redis redis;

  RedeemLinkScript(Redis redis) {
    this.redis = redis;
  }

  Future<Result> run(String tokenSha, String deviceId, Instant now) {
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, new String[] {Keys.callJoinLink(tokenSha)}, deviceId,
        now.toString()).map(out -> {
          Outcome o = Outcome.valueOf(String.valueOf(out.get(0)));
          return new Result(o, out.size() > 1 ? new JsonObject(String.valueOf(out.get(1))) : null);
        });
  }
}
