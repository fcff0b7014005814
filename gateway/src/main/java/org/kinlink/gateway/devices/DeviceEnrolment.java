package org.kinlink.gateway.devices;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.auth.SignInGuard;
import org.kinlink.gateway.crypto.DeviceKey;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.KioskDevice;

/**
 * Kiosk enrolment: an admin (API or CLI) gets a one-time code for a device; the kiosk sends the code
 * with the public key of the P-256 key pair it made, and from then on proves possession of that key
 * at every sign-in ({@link org.kinlink.gateway.auth.KioskChallenges}). The device id alone is no
 * longer a credential. Every step is audited in the device's establishment; codes never are.
 */
public final class DeviceEnrolment {
  private static final String BAD_CODE = "That enrolment code is not right, was already used or has expired. "
      + "Check the device id and the code, or ask an administrator for a new code.";

  private final Clock clock;
  private final Directory directory;
  private final AuditLog audit;
  private final SignInGuard guard;
  private final EnrolmentCodes codes;

  public DeviceEnrolment(org.kinlink.gateway.redis.Redis redis, Clock clock, Directory directory, AuditLog audit, SignInGuard guard) {
    this.clock = clock;
    this.directory = directory;
    this.audit = audit;
    this.guard = guard;
    this.codes = new EnrolmentCodes(redis, clock);
  }

  /** A one-time code as shown to the admin, once. */
  public record IssuedCode(String deviceId, String code, Instant expiresAt) {
    public JsonObject toJson() {
      return new JsonObject().put("enrolment_code", code).put("enrolment_code_expires_at", expiresAt.toString());
    }
  }

  /** How long a code may wait to be used. */
  public static Duration codeLifetime() {
    return EnrolmentCodes.TTL;
  }

  /**
   * Issues a new code for {@code device} (replacing an earlier one) and audits that it was issued.
   *
   * @param actor starts the audit event for an action name (who is doing it)
   */
  public Future<IssuedCode> issueCode(Function<String, AuditEvent.Builder> actor, KioskDevice device) {
    Instant expires = clock.instant().plus(EnrolmentCodes.TTL);
    return codes.issue(device.id()).compose(code -> audit.append(actor.apply("device.enrolment_code")
            .establishment(device.establishment()).detail("device", device.id()).detail("expires_at", expires.toString()).build())
        .map(e -> new IssuedCode(device.id(), code, expires)));
  }

  /** Creates a device awaiting its key and issues its first code (the admin API and CLI). 409 when the id exists. */
  public Future<IssuedCode> create(Function<String, AuditEvent.Builder> actor, KioskDevice device) {
    KioskDevice awaiting = new KioskDevice(device.id(), device.establishment(), device.location(), true, null);
    return directory.createDevice(awaiting)
        .compose(x -> audit.append(actor.apply("device.enrol").establishment(device.establishment())
            .detail("device", device.id()).detail("after", awaiting.toJson()).build()))
        .compose(x -> issueCode(actor, awaiting));
  }

  /** Withdraws a device: it can no longer be used, its key and any outstanding code are forgotten. */
  public Future<Directory.Change<KioskDevice>> withdraw(Function<String, AuditEvent.Builder> actor, String deviceId) {
    return directory.updateDevice(deviceId, KioskDevice::withdrawn)
        .compose(change -> codes.revoke(deviceId).map(change))
        .compose(change -> audited(actor, change));
  }

  /** Puts a device (back) in the state of waiting for its key, at {@code location}: a withdrawn one being enrolled again. */
  public Future<Directory.Change<KioskDevice>> awaitKey(Function<String, AuditEvent.Builder> actor, String deviceId, String location) {
    return directory.updateDevice(deviceId, d -> new KioskDevice(d.id(), d.establishment(), location, true, null))
        .compose(change -> audited(actor, change));
  }

  private Future<Directory.Change<KioskDevice>> audited(Function<String, AuditEvent.Builder> actor, Directory.Change<KioskDevice> change) {
    KioskDevice after = change.after();
    return audit.append(actor.apply("device.update").establishment(after.establishment()).detail("device", after.id())
        .detail("before", change.before().toJson()).detail("after", after.toJson()).build()).map(change);
  }

  /** Forgets the outstanding code of a device withdrawn some other way (the staff API's PATCH). */
  public Future<Void> forgetCode(String deviceId) {
    return codes.revoke(deviceId);
  }

  /**
   * The kiosk's side: the code and its new public key. Answers the device's API view. A wrong code
   * counts as a failed sign-in of the source address (so guessing is throttled like PINs).
   */
  public Future<JsonObject> enrol(String deviceId, String code, String publicKey, String source) {
    DeviceKey key;
    try {
      key = DeviceKey.parse(publicKey);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiException.badRequest("INVALID_PUBLIC_KEY", e.getMessage(), "public_key"));
    }
    AuditEvent.Builder base = AuditEvent.of("device.key_enrolled").actor("kiosk:" + deviceId, "ANONYMOUS")
        .detail("device", deviceId).detail("key_id", key.keyId());
    return guard.sourceBlockedUntil(source).compose(until -> {
      if (until != null) {
        return Future.failedFuture(ApiException.tooManyRequests("Too many failed attempts from this address. Wait a while and try again.",
            Duration.between(clock.instant(), until)));
      }
      return codes.enrol(deviceId, code, key.spkiBase64());
    }).compose(before -> {
      if (before.isEmpty()) {
        return directory.device(deviceId).compose(d -> audit.append(AuditEvent.of("device.key_enrolled")
                .actor("kiosk:" + deviceId, "ANONYMOUS").establishment(d.map(KioskDevice::establishment).orElse(null))
                .outcome("FAILED").detail("device", deviceId).detail("reason", d.isEmpty() ? "UNKNOWN_DEVICE" : "BAD_CODE").build()))
            .compose(e -> guard.sourceFailed(source))
            .compose(x -> Future.failedFuture(new ApiException(401, "INVALID_ENROLMENT_CODE", BAD_CODE, "enrolment_code", null, null)));
      }
      KioskDevice after = before.get().withKey(key.spkiBase64());
      return audit.append(base.establishment(after.establishment())
              .detail("replaced_key_id", before.get().publicKey() == null ? null : DeviceKey.keyIdOf(before.get().publicKey()))
              .detail("before", before.get().toJson()).detail("after", after.toJson()).build())
          .map(e -> after.toJson());
    });
  }

  /** The device if it exists and is in {@code establishment} (another establishment's device does not exist for the caller). */
  public Future<KioskDevice> deviceOf(String establishment, String deviceId) {
    return directory.device(deviceId).map(o -> {
      Optional<KioskDevice> d = o.filter(x -> x.establishment().equals(establishment));
      return d.orElseThrow(() -> ApiException.notFound("No such device in your establishment."));
    });
  }
}
