package org.kinlink.gateway.messaging;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Messages in Redis: one hash of records and one feed per conversation ({@code Keys.conversation*}),
 * and one review queue per establishment. Records hold bodies sealed only ({@link ConversationKeys}).
 */
final class MessageStore {
  private final Redis redis;
  private final PutMessageScript put;
  private final PatchMessageScript patch;

  MessageStore(Redis redis) {
    this.redis = redis;
    this.put = new PutMessageScript(redis);
    this.patch = new PatchMessageScript(redis);
  }

  /** Creates the record once (the first write of a client_id wins; a later one answers the first record). */
  Future<PutMessageScript.Result> create(String conversationId, String key, JsonObject record) {
    return put.run(conversationId, key, record.copy().put("v", 1));
  }

  /** Changes {@code current} (as read) into {@code edited} when it still has the version read. */
  Future<PutMessageScript.Result> change(String conversationId, String key, JsonObject current, JsonObject edited) {
    return patch.run(conversationId, key, current, edited);
  }

  Future<Optional<JsonObject>> get(String conversationId, String key) {
    return redis.<String>call(c -> c.hget(Keys.conversationMessages(conversationId), key))
        .map(s -> Optional.ofNullable(s).map(JsonObject::new));
  }

  /** Records changed after feed position {@code after}, in feed order, at most {@code limit}. */
  Future<List<JsonObject>> changedSince(String conversationId, long after, int limit) {
    return redis.<List<String>>call(c -> c.zrangebyscore(Keys.conversationFeed(conversationId),
        Range.create((double) after + 1, Double.POSITIVE_INFINITY), Limit.create(0, limit)))
        .compose(keys -> records(conversationId, keys));
  }

  /** Every record of a conversation, in message order. */
  Future<List<JsonObject>> all(String conversationId) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.conversationMessages(conversationId)))
        .map(all -> all.values().stream().map(JsonObject::new)
            .sorted(Comparator.comparingLong(r -> r.getLong("seq", 0L))).toList());
  }

  /** The conversation's feed position now (0 when empty). */
  Future<Long> head(String conversationId) {
    return redis.<String>call(c -> c.get(Keys.conversationFeedSeq(conversationId)))
        .map(s -> s == null ? 0L : Long.parseLong(s));
  }

  private Future<List<JsonObject>> records(String conversationId, List<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] array = keys.toArray(String[]::new);
    return redis.<List<io.lettuce.core.KeyValue<String, String>>>call(c -> c.hmget(Keys.conversationMessages(conversationId), array))
        .map(values -> values.stream().filter(io.lettuce.core.KeyValue::hasValue).map(kv -> new JsonObject(kv.getValue())).toList());
  }

  // ---------------------------------------------------------------- photos

  /** Stores a photo's sealed full view and thumbnail (before its message record: a stray pair is never shown). */
  Future<Void> putPhoto(String conversationId, String key, byte[] sealedFull, byte[] sealedThumb) {
    Map<String, String> fields = Map.of(key + ":full", java.util.Base64.getEncoder().encodeToString(sealedFull),
        key + ":thumb", java.util.Base64.getEncoder().encodeToString(sealedThumb));
    return redis.<Long>call(c -> c.hset(Keys.conversationPhotos(conversationId), fields)).mapEmpty();
  }

  /** A photo's sealed bytes ({@code size} full or thumb), empty when none (or deleted after retention). */
  Future<Optional<byte[]>> photo(String conversationId, String key, String size) {
    return redis.<String>call(c -> c.hget(Keys.conversationPhotos(conversationId), key + ":" + size))
        .map(s -> Optional.ofNullable(s).map(java.util.Base64.getDecoder()::decode));
  }

  /** Deletes a photo's bytes (retention, rejection); its record stays. */
  Future<Void> deletePhoto(String conversationId, String key) {
    return redis.<Long>call(c -> c.hdel(Keys.conversationPhotos(conversationId), key + ":full", key + ":thumb")).mapEmpty();
  }

  // ---------------------------------------------------------------- review queues

  /** Puts a message id on an establishment's queue (before the message is written: a stray id is skipped and dropped). */
  Future<Void> enqueue(String establishment, String messageId, long heldAtMillis) {
    return redis.<Long>call(c -> c.zadd(Keys.reviewQueue(establishment), (double) heldAtMillis, messageId)).mapEmpty();
  }

  Future<Void> dequeue(String establishment, String messageId) {
    return redis.<Long>call(c -> c.zrem(Keys.reviewQueue(establishment), messageId)).mapEmpty();
  }

  /** Up to {@code limit} queued ids from {@code fromMillis} (inclusive), oldest first, with their scores. */
  Future<List<ScoredValue<String>>> queued(String establishment, double fromMillis, int limit) {
    return redis.<List<ScoredValue<String>>>call(c -> c.zrangebyscoreWithScores(Keys.reviewQueue(establishment),
        Range.create(fromMillis, Double.POSITIVE_INFINITY), Limit.create(0, limit)));
  }

  /** How many wait, and the oldest's score (null when none). */
  Future<QueueCounts> counts(String establishment) {
    String key = Keys.reviewQueue(establishment);
    Future<Long> n = redis.call(c -> c.zcard(key));
    Future<List<ScoredValue<String>>> first = redis.call(c -> c.zrangeWithScores(key, 0, 0));
    return Future.all(n, first).map(v -> new QueueCounts(n.result(),
        first.result().isEmpty() ? null : (long) first.result().get(0).getScore()));
  }

  record QueueCounts(long waiting, Long oldestMillis) {}

  // ---------------------------------------------------------------- who holds a child's messages

  Future<Void> setHolder(String childId, String adultId) {
    return redis.<Boolean>call(c -> c.hset(Keys.MESSAGE_HOLDERS, childId, adultId)).mapEmpty();
  }

  static List<String> strings(JsonObject record, String field) {
    // Lua's cjson writes an empty array as {}: read both as a list
    Object v = record.getValue(field);
    List<String> out = new ArrayList<>();
    if (v instanceof io.vertx.core.json.JsonArray a) {
      a.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }

  static List<JsonObject> objects(JsonObject record, String field) {
    Object v = record.getValue(field);
    List<JsonObject> out = new ArrayList<>();
    if (v instanceof io.vertx.core.json.JsonArray a) {
      a.forEach(x -> out.add((JsonObject) x));
    }
    return out;
  }
}
