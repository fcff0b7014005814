package org.kinlink.gateway.idempotency;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.kinlink.gateway.audit.CanonicalJson;
import org.kinlink.gateway.domain.DomainException;

/**
 * A client's {@code Idempotency-Key}: the one way every capability (contacts now; people, messages
 * and calls next) tells a retry from a new request, so a write is applied once however often a
 * client repeats it.
 *
 * <p>How to use it:
 * <ol>
 *   <li>{@link #of} with the header, the actor, the operation, the record it targets and the request
 *       (body and If-Match). The key is scoped to actor, operation and target, so one client's key can
 *       never replay another's answer; {@link #digest()} names the stored answer, {@link #fingerprint()}
 *       identifies the request (canonical JSON: the same request with its members in another order is
 *       the same request).</li>
 *   <li>Before writing, look for a first answer: {@link IdempotencyStore#find} (or read it inside your
 *       write script). {@link #check} returns it for a true retry and refuses a reused key
 *       (422 {@code IDEMPOTENCY_KEY_REUSED}).</li>
 *   <li>Remember the answer in the same atomic step as the write ({@link #stored} is its form; keep it
 *       {@link #TTL}), in a key of the written record's slot, e.g. {@code kl:{p:<id>}:idem:<scope>:<digest>}.
 *       {@link IdempotencyStore#remember} is for writes that are not a script.</li>
 * </ol>
 *
 * @param digest names the stored answer
 * @param fingerprint digest of the request the key was first used with
 */
public record IdempotencyKey(String digest, String fingerprint) {
  /** How long a first answer is kept for retries. */
  public static final Duration TTL = Duration.ofHours(24);

  /** The request's key, or null when the client sent none; 400 for an unusable key. */
  public static IdempotencyKey of(String headerValue, String actorId, String operation, String target, JsonObject body,
      String ifMatch) {
    if (headerValue == null) {
      return null;
    }
    if (headerValue.isBlank() || headerValue.length() > 200 || !headerValue.chars().allMatch(c -> c > 32 && c < 127)) {
      throw DomainException.invalid("INVALID_IDEMPOTENCY_KEY",
          "Idempotency-Key must be 1 to 200 visible ASCII characters.", "Idempotency-Key");
    }
    String digest = sha256(actorId + "\n" + operation + "\n" + target + "\n" + headerValue);
    JsonObject request = new JsonObject().put("operation", operation).put("body", body).put("if_match", ifMatch);
    return new IdempotencyKey(digest, sha256(CanonicalJson.encode(request)));
  }

  /**
   * The stored form of a first result: whatever the capability must give a retry ({@code result}),
   * with the request's fingerprint and the change it made ({@code changeId} lets a retry finish what
   * the first attempt left pending).
   */
  public JsonObject stored(String changeId, JsonObject result) {
    return new JsonObject().put("fingerprint", fingerprint).put("change_id", changeId).put("result", result);
  }

  /** The result a stored first answer holds (also reads answers stored before results had their own member). */
  public static JsonObject result(JsonObject stored) {
    JsonObject result = stored.getJsonObject("result");
    return result != null ? result
        : new JsonObject().put("created", stored.getInteger("status", 200) == 201).put("body", stored.getJsonObject("body"));
  }

  /** The first answer, when {@code stored} was written by the same request; 422 when the key was reused for another. */
  public JsonObject check(JsonObject stored) {
    if (!fingerprint.equals(stored.getString("fingerprint"))) {
      throw DomainException.rejected("IDEMPOTENCY_KEY_REUSED",
          "This Idempotency-Key was already used for a different request; use a new key for a new request.",
          "Idempotency-Key");
    }
    return stored;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
