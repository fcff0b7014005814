package org.kinlink.gateway.messaging;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Per-conversation AES-256 data keys, stored in Redis only wrapped by the master key, and the
 * sealing of message bodies with them. The first node to need a conversation's key creates it
 * ({@code SET NX}); a node that loses that race uses the winner's. Unwrapped keys are cached per node.
 */
final class ConversationKeys {
  /** What wraps data keys and seals bodies: the master key and AES-256-GCM. */
  interface Crypto {
    String masterKeyId();

    byte[] newDataKey();

    byte[] wrap(byte[] dataKey, byte[] aad);

    byte[] unwrap(byte[] wrapped, byte[] aad);

    byte[] seal(byte[] key, byte[] plaintext, byte[] aad);

    byte[] open(byte[] key, byte[] sealed, byte[] aad);
  }

  private final Redis redis;
  private final Crypto crypto;
  private final Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(50_000).build();

  ConversationKeys(Redis redis, Crypto crypto) {
    this.redis = redis;
    this.crypto = crypto;
  }

  /** Seals a body for one message of a conversation (bound to both by the associated data). */
  Future<String> seal(String conversationId, String messageKey, String body) {
    return key(conversationId).map(k -> Base64.getEncoder().encodeToString(
        crypto.seal(k, body.getBytes(StandardCharsets.UTF_8), aad(conversationId, messageKey))));
  }

  /** Opens a sealed body; fails when it was altered or moved to another message. */
  Future<String> open(String conversationId, String messageKey, String sealed) {
    return key(conversationId).map(k -> new String(
        crypto.open(k, Base64.getDecoder().decode(sealed), aad(conversationId, messageKey)), StandardCharsets.UTF_8));
  }

  private static byte[] aad(String conversationId, String messageKey) {
    return ("kinlink-message|" + conversationId + "|" + messageKey).getBytes(StandardCharsets.UTF_8);
  }

  private Future<byte[]> key(String conversationId) {
    byte[] cached = cache.getIfPresent(conversationId);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    String redisKey = Keys.conversationKey(conversationId);
    byte[] aad = ("kinlink-conversation-key|" + conversationId).getBytes(StandardCharsets.UTF_8);
    return redis.<String>call(c -> c.get(redisKey)).compose(stored -> {
      if (stored != null) {
        return Future.succeededFuture(stored);
      }
      JsonObject wrapped = new JsonObject().put("key_id", crypto.masterKeyId())
          .put("wrapped", Base64.getEncoder().encodeToString(crypto.wrap(crypto.newDataKey(), aad)));
      return redis.<String>call(c -> c.set(redisKey, wrapped.encode(), SetArgs.Builder.nx()))
          .compose(ok -> redis.<String>call(c -> c.get(redisKey)));
    }).map(stored -> {
      byte[] k = crypto.unwrap(Base64.getDecoder().decode(new JsonObject(stored).getString("wrapped")), aad);
      cache.put(conversationId, k);
      return k;
    });
  }
}
