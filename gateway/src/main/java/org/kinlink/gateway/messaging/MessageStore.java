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

  /**
   * Creates the record once, parking its audit entry beside it (the first write of a client_id wins;
   * a later one answers the first record and parks nothing).
   */
  Future<PutMessageScript.Result> create(String conversationId, String key, JsonObject record, JsonObject outboxEntry) {
    return put.run(conversationId, key, record.copy().put("v", 1), outboxEntry);
  }

  /** Changes {@code current} (as read) into {@code edited} when it still has the version read. */
  Future<PutMessageScript.Result> change(String conversationId, String key, JsonObject current, JsonObject edited) {
    return patch.run(conversationId, key, current, edited);
  }

  /**
   * The hash field beside a message's own that holds its status fields, version and feed position
   * once it has had a receipt ({@code messaging-patch.lua}); a record is the two merged.
   */
  static final String STATUS_SUFFIX = "#";

  Future<Optional<JsonObject>> get(String conversationId, String key) {
    return redis.<List<io.lettuce.core.KeyValue<String, String>>>call(c -> c.hmget(Keys.conversationMessages(conversationId),
            key, key + STATUS_SUFFIX))
        .map(values -> Optional.ofNullable(merged(values.get(0), values.get(1))));
  }

  private static JsonObject merged(io.lettuce.core.KeyValue<String, String> record, io.lettuce.core.KeyValue<String, String> status) {
    return record.hasValue() ? merged(record.getValue(), status.getValueOrElse(null)) : null;
  }

  /** A stored record with its status fields (null: no receipt yet) laid over it. */
  private static JsonObject merged(String record, String status) {
    JsonObject r = new JsonObject(record);
    return status == null ? r : r.mergeIn(new JsonObject(status));
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
        .map(all -> all.entrySet().stream().filter(e -> !e.getKey().endsWith(STATUS_SUFFIX))
            .map(e -> merged(e.getValue(), all.get(e.getKey() + STATUS_SUFFIX)))
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
    String[] fields = new String[keys.size() * 2];
    for (int i = 0; i < keys.size(); i++) {
      fields[2 * i] = keys.get(i);
      fields[2 * i + 1] = keys.get(i) + STATUS_SUFFIX;
    }
    return redis.<List<io.lettuce.core.KeyValue<String, String>>>call(c -> c.hmget(Keys.conversationMessages(conversationId), fields))
        .map(values -> {
          List<JsonObject> out = new ArrayList<>();
          for (int i = 0; i + 1 < values.size(); i += 2) {
            JsonObject r = merged(values.get(i), values.get(i + 1));
            if (r != null) {
              out.add(r);
            }
          }
          return out;
        });
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
