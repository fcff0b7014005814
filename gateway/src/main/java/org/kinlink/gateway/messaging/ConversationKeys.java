package org.kinlink.gateway.messaging;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Per-conversation AES-256 data keys, stored in Redis only wrapped by the master key, and the
 * sealing of message bodies with them. The first node to need a conversation's key creates it
 * ({@code SET NX}); a node that loses that race uses the winner's. Unwrapped keys are cached per node.
 */
final class ConversationKeys {
  private final Redis redis;
  private final MasterKey master;
  private final Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(50_000).build();

  ConversationKeys(Redis redis, MasterKey master) {
    this.redis = redis;
    this.master = master;
  }

  /** Seals a body for one message of a conversation (bound to both by the associated data). */
  Future<String> seal(String conversationId, String messageKey, String body) {
    return key(conversationId).map(k -> Base64.getEncoder().encodeToString(
        Aead.seal(k, body.getBytes(StandardCharsets.UTF_8), aad(conversationId, messageKey))));
  }

  /** Opens a sealed body (null for a body deleted after retention); fails when it was altered or moved to another message. */
  Future<String> open(String conversationId, String messageKey, String sealed) {
    if (sealed == null) {
      return Future.succeededFuture(null); // deleted after its retention time
    }
    return key(conversationId).map(k -> new String(
        Aead.open(k, Base64.getDecoder().decode(sealed), aad(conversationId, messageKey)), StandardCharsets.UTF_8));
  }

  /** Seals a photo's bytes ({@code size} full or thumb) for one message, bound to all three by the associated data. */
  Future<byte[]> sealPhoto(String conversationId, String messageKey, String size, byte[] plain) {
    return key(conversationId).map(k -> Aead.seal(k, plain, photoAad(conversationId, messageKey, size)));
  }

  Future<byte[]> openPhoto(String conversationId, String messageKey, String size, byte[] sealed) {
    return key(conversationId).map(k -> Aead.open(k, sealed, photoAad(conversationId, messageKey, size)));
  }

  private static byte[] photoAad(String conversationId, String messageKey, String size) {
    return ("kinlink-photo|" + conversationId + "|" + messageKey + "|" + size).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] aad(String conversationId, String messageKey) {
    return ("kinlink-message|" + conversationId + "|" + messageKey).getBytes(StandardCharsets.UTF_8);
  }

  /** What a conversation's data key is bound to when wrapped by the master key. */
  static byte[] wrapAad(String conversationId) {
    return ("kinlink-conversation-key|" + conversationId).getBytes(StandardCharsets.UTF_8);
  }

  private Future<byte[]> key(String conversationId) {
    byte[] cached = cache.getIfPresent(conversationId);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    String redisKey = Keys.conversationKey(conversationId);
    byte[] aad = wrapAad(conversationId);
    return redis.<String>call(c -> c.get(redisKey)).compose(stored -> {
      if (stored != null) {
        return Future.succeededFuture(stored);
      }
      JsonObject wrapped = new JsonObject().put("key_id", master.keyId())
          .put("wrapped", Base64.getEncoder().encodeToString(master.wrap(Aead.newKey(), aad)));
      return redis.<String>call(c -> c.set(redisKey, wrapped.encode(), SetArgs.Builder.nx()))
          .compose(ok -> redis.<String>call(c -> c.get(redisKey)));
    }).map(stored -> {
      byte[] k = master.unwrap(Base64.getDecoder().decode(new JsonObject(stored).getString("wrapped")), aad);
      cache.put(conversationId, k);
      return k;
    });
  }
}
