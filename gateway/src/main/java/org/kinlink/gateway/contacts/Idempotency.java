package org.kinlink.gateway.contacts;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.kinlink.gateway.auth.Principal;
import org.kinlink.gateway.http.ApiException;

/**
 * A client's {@code Idempotency-Key}, scoped to who sent it, which operation and which record, so one
 * client's key can never replay another's answer. The fingerprint tells a true retry (same request)
 * from a key reused for a different request, which is refused rather than answered wrongly.
 *
 * @param digest names the stored answer
 * @param fingerprint digest of the request the key was first used with
 */
public record Idempotency(String digest, String fingerprint) {
  /** How long a first answer is kept for retries. */
  public static final long TTL_SECONDS = 24 * 3600;

  /** The request's key, or null when the client sent none; 400 for an unusable key. */
  public static Idempotency of(String headerValue, Principal actor, String operation, String target, JsonObject body,
      String ifMatch) {
    if (headerValue == null) {
      return null;
    }
    if (headerValue.isBlank() || headerValue.length() > 200 || !headerValue.chars().allMatch(c -> c > 32 && c < 127)) {
      throw ApiException.badRequest("INVALID_IDEMPOTENCY_KEY",
          "Idempotency-Key must be 1 to 200 visible ASCII characters.", "Idempotency-Key");
    }
    String digest = sha256(actor.accountId() + "\n" + operation + "\n" + target + "\n" + headerValue);
    String fingerprint = sha256(operation + "\n" + (body == null ? "" : body.encode()) + "\n" + (ifMatch == null ? "" : ifMatch));
    return new Idempotency(digest, fingerprint);
  }

  /** The stored form of a first answer. */
  public JsonObject answer(String changeId, int status, JsonObject body) {
    return new JsonObject().put("fingerprint", fingerprint).put("change_id", changeId).put("status", status)
        .put("body", body);
  }

  /** The first answer, when {@code stored} was written by the same request; 422 when the key was reused for another. */
  public JsonObject check(JsonObject stored) {
    if (!fingerprint.equals(stored.getString("fingerprint"))) {
      throw ApiException.unprocessable("IDEMPOTENCY_KEY_REUSED",
          "This Idempotency-Key was already used for a different request; use a new key for a new request.",
          "Idempotency-Key");
    }
    return stored;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
