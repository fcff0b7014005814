package org.kinlink.gateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;

/** {@code lua/contacts-zrem-if-score.lua}: removes a sorted-set member only if no newer write re-scored it. */
public final class ZremIfScoreScript {
  public static final LuaScript SCRIPT = LuaScript.load("contacts-zrem-if-score");

  private final Redis redis;

  public ZremIfScoreScript(Redis redis) {
    this.redis = redis;
  }

  /** True when {@code member} was removed from {@code key} (its score was still {@code seenScore}). */
  public Future<Boolean> remove(String key, String member, double seenScore) {
    return redis.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new String[] {key}, member, Double.toString(seenScore))
        .map(n -> n > 0);
  }
}
