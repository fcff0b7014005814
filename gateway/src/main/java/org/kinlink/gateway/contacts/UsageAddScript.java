package org.kinlink.gateway.contacts;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/contacts-usage-add.lua}: counts an event once per event id. */
final class UsageAddScript {
  static final LuaScript SCRIPT = LuaScript.load("contacts-usage-add");

  private final Redis redis;

  UsageAddScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * Adds {@code amount} to {@code counterKey} unless {@code eventId} was already counted in {@code countedKey};
   * answers the counter. Both keys expire at {@code expireAtEpochSecond}.
   */
  Future<Long> add(String counterKey, String countedKey, String eventId, int amount, long expireAtEpochSecond) {
    return redis.eval(SCRIPT, ScriptOutputType.INTEGER, new String[] {counterKey, countedKey}, Integer.toString(amount),
        Long.toString(expireAtEpochSecond), eventId);
  }
}
