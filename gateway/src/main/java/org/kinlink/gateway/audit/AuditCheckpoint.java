package org.kinlink.gateway.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A signed statement "the chain had {@code hash} at entry {@code seq}". The signed bytes are the
 * canonical JSON ({@link CanonicalJson}) of {@code {at, hash, key_id, seq}}; the stored form adds
 * {@code signature} (base64 Ed25519).
 */
public record AuditCheckpoint(long seq, String hash, Instant at, String keyId, String signature) {

  /** Signs the chain's state at {@code seq}. */
  public static AuditCheckpoint sign(long seq, String hash, Instant at, AuditSigningKey key) {
    Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
    AuditCheckpoint unsigned = new AuditCheckpoint(seq, hash, millis, key.keyId(), null);
    return new AuditCheckpoint(seq, hash, millis, key.keyId(),
        Base64.getEncoder().encodeToString(key.sign(unsigned.signedBytes())));
  }

  /** The bytes the signature covers. */
  public byte[] signedBytes() {
    return CanonicalJson.bytes(new JsonObject()
        .put("seq", seq)
        .put("hash", hash)
        .put("at", at.toString())
        .put("key_id", keyId));
  }

  /** True when the signature is valid for the given public key. */
  public boolean verifiedBy(String publicKeyBase64) {
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(String.valueOf(signature));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return AuditSigningKey.verify(publicKeyBase64, signedBytes(), sig);
  }

  /** Stored and API form. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("seq", seq)
        .put("hash", hash)
        .put("at", at.toString())
        .put("key_id", keyId)
        .put("signature", signature);
  }

  /** The stored text (canonical). */
  public String encode() {
    return CanonicalJson.encode(toJson());
  }

  /** Reads a stored checkpoint; {@link IllegalArgumentException} when it is not one. */
  public static AuditCheckpoint decode(String text) {
    try {
      JsonObject json = new JsonObject(text);
      Number seq = json.getNumber("seq");
      if (seq == null || json.getString("hash") == null || json.getString("at") == null || json.getString("key_id") == null) {
        throw new IllegalArgumentException("seq, hash, at or key_id missing");
      }
      return new AuditCheckpoint(seq.longValue(), json.getString("hash"), Instant.parse(json.getString("at")),
          json.getString("key_id"), json.getString("signature"));
    } catch (DecodeException | ClassCastException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a checkpoint: " + e.getMessage(), e);
    }
  }
}
