package org.kinlink.gateway.people;

import io.vertx.core.json.JsonObject;
import org.kinlink.gateway.crypto.DeviceKey;

/**
 * An in-cell or MBU kiosk; prisoners sign in only on an enrolled device of their own establishment.
 *
 * <p>A device may be used only when it is {@code enrolled} (not withdrawn) and holds the public key it
 * proved possession of with a one-time enrolment code ({@code publicKey}, SPKI base64, P-256). A
 * device created by an admin waits for its key; withdrawing it forgets the key, so using it again
 * needs a new enrolment code and a new key.
 */
public record KioskDevice(String id, String establishment, String location, boolean enrolled, String publicKey) {

  /** A device without a key yet (or a withdrawn one, with {@code enrolled} false). */
  public KioskDevice(String id, String establishment, String location, boolean enrolled) {
    this(id, establishment, location, enrolled, null);
  }

  /** What a device is now, as staff see it. */
  public enum Status { AWAITING_KEY, ENROLLED, WITHDRAWN }

  public Status status() {
    return !enrolled ? Status.WITHDRAWN : publicKey == null ? Status.AWAITING_KEY : Status.ENROLLED;
  }

  /** True when a prisoner may sign in on it (given a valid proof of its key). */
  public boolean usable() {
    return status() == Status.ENROLLED;
  }

  public KioskDevice withKey(String spkiBase64) {
    return new KioskDevice(id, establishment, location, true, spkiBase64);
  }

  /** Withdrawn: not usable, and its key forgotten so that only a new enrolment brings it back. */
  public KioskDevice withdrawn() {
    return new KioskDevice(id, establishment, location, false, null);
  }

  /** The API view: never the key itself, only its id. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("id", id).put("establishment", establishment).put("location", location)
        .put("enrolled", enrolled).put("status", status().name());
    if (publicKey != null) {
      j.put("key_id", DeviceKey.keyIdOf(publicKey));
    }
    return j;
  }

  /** The stored record. */
  public JsonObject toStored() {
    JsonObject j = new JsonObject().put("id", id).put("establishment", establishment).put("location", location)
        .put("enrolled", enrolled);
    if (publicKey != null) {
      j.put("public_key", publicKey);
    }
    return j;
  }

  public static KioskDevice fromJson(JsonObject j) {
    return new KioskDevice(j.getString("id"), j.getString("establishment"), j.getString("location"), j.getBoolean("enrolled", false),
        j.getString("public_key"));
  }
}
