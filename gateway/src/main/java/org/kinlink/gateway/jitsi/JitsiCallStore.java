package org.kinlink.gateway.jitsi;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.media.jitsi.SharedCallState;

/**
 * The media state of a call that every node must read ({@link SharedCallState}: the backend a call is
 * on, its Jibri session), in Redis so that any node ends a call on the backend that carries it.
 *
 * <p>Key: {@code media:call:{callId}} -> hash of the backend's fields, expiring a day after END_BY.
 * Two commands per write (the value, then the expiry): a lost expiry leaves a small hash behind,
 * never a wrong answer.
 */
final class JitsiCallStore implements SharedCallState {
  private final Redis redis;

  JitsiCallStore(Redis redis) {
    this.redis = redis;
  }

  static String callKey(String callId) {
    return "media:call:{" + callId + "}";
  }

  @Override
  public CompletionStage<Map<String, String>> read(String callId) {
    return redis.<Map<String, String>>call(c -> c.hgetall(callKey(callId))).toCompletionStage();
  }

  @Override
  public CompletionStage<Void> write(String callId, Map<String, String> fields, Instant keepUntil) {
    String key = callKey(callId);
    return redis.call(c -> c.hset(key, fields))
        .compose(n -> redis.call(c -> c.pexpireat(key, keepUntil.toEpochMilli())))
        .<Void>mapEmpty().toCompletionStage();
  }

  @Override
  public CompletionStage<Boolean> writeOnce(String callId, String field, String value, Instant keepUntil) {
    String key = callKey(callId);
    return redis.call(c -> c.hsetnx(key, field, value))
        .compose(first -> redis.call(c -> c.pexpireat(key, keepUntil.toEpochMilli())).map(x -> first))
        .toCompletionStage();
  }

  @Override
  public CompletionStage<Boolean> remove(String callId, String field) {
    return redis.<Long>call(c -> c.hdel(callKey(callId), field)).map(n -> n > 0).toCompletionStage();
  }
}
