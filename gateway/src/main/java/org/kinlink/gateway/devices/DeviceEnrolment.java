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
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.auth.SignInGuard;
import org.kinlink.gateway.crypto.DeviceKey;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.Parked;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kiosk enrolment: an admin (API or CLI) gets a one-time code for a device; the kiosk sends the code
 * with the public key of the P-256 key pair it made, and from then on proves possession of that key
 * at every sign-in ({@link org.kinlink.gateway.auth.KioskChallenges}). The device id alone is no
 * longer a credential. Every step is audited in the device's establishment; codes never are. Every
 * change of a device record commits together with its pending audit entry (parked in the
 * directory's outbox, {@link Keys#dirAuditOutbox()}, by the write script itself); this class then
 * completes it, and the gateway's sweeper of that outbox completes whatever a crash left.
 */
public final class DeviceEnrolment {
  private static final Logger log = LoggerFactory.getLogger(DeviceEnrolment.class);
  private static final String BAD_CODE = "That enrolment code is not right, was already used or has expired. "
      + "Check the device id and the code, or ask an administrator for a new code.";

  private final Clock clock;
  private final Directory directory;
  private final AuditLog audit;
  private final AuditOutbox outbox;
  private final SignInGuard guard;
  private final EnrolmentCodes codes;

  /**
   * @param audit for what is no change of a record (a code issued, a failed enrolment)
   * @param outbox completes the directory's parked audit entries (any instance: its sweeper lane is the gateway's)
   */
  public DeviceEnrolment(org.kinlink.gateway.redis.Redis redis, Clock clock, Directory directory, AuditLog audit, AuditOutbox outbox,
      SignInGuard guard) {
    this.clock = clock;
    this.directory = directory;
    this.audit = audit;
    this.outbox = outbox;
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
    Parked parked = park(actor.apply("device.enrol").establishment(device.establishment())
        .detail("device", device.id()).detail("after", awaiting.toJson()).build());
    return unconfirmed(directory.createDeviceAudited(awaiting, parked)).compose(created -> created
            ? completed(parked)
            : Future.failedFuture(ApiException.conflict("DEVICE_EXISTS", "That device id cannot be used; choose another.")))
        .compose(x -> issueCode(actor, awaiting));
  }

  /** Withdraws a device: it can no longer be used, its key and any outstanding code are forgotten. */
  public Future<Directory.Change<KioskDevice>> withdraw(Function<String, AuditEvent.Builder> actor, String deviceId) {
    return update(actor, deviceId, KioskDevice::withdrawn).compose(change -> codes.revoke(deviceId).map(change));
  }

  /** Puts a device (back) in the state of waiting for its key, at {@code location}: a withdrawn one being enrolled again. */
  public Future<Directory.Change<KioskDevice>> awaitKey(Function<String, AuditEvent.Builder> actor, String deviceId, String location) {
    return update(actor, deviceId, d -> new KioskDevice(d.id(), d.establishment(), location, true, null));
  }

  private Future<Directory.Change<KioskDevice>> update(Function<String, AuditEvent.Builder> actor, String deviceId,
      java.util.function.UnaryOperator<KioskDevice> change) {
    return unconfirmed(directory.updateDevice(deviceId, change, (before, after) -> park(actor.apply("device.update")
            .establishment(after.establishment()).detail("device", after.id())
            .detail("before", before.toJson()).detail("after", after.toJson()).build())))
        .compose(found -> {
          Directory.Audited<KioskDevice> a = found.orElseThrow(() -> ApiException.notFound("No such device."));
          return completed(a.parked()).map(a.change());
        });
  }

  private Parked park(AuditEvent event) {
    return Parked.of(event, clock.millis());
  }

  /** Writes the parked entry now; when that fails it stays parked for the sweeper, and the caller is told the change was saved. */
  private Future<Void> completed(Parked parked) {
    return outbox.complete(Keys.dirAuditOutbox(), parked.entry()).recover(e -> {
      log.warn("device change {} is saved but its audit entry is pending (the outbox completes it)", parked.changeId(), e);
      return Future.failedFuture(new ApiException(503, "AUDIT_PENDING", "The change was saved, but its audit record could "
          + "not be written yet; it will be written shortly. Do not make the change again."));
    });
  }

  /** A write whose answer never came back may have been applied: say so, never "nothing was written". */
  private static <T> Future<T> unconfirmed(Future<T> write) {
    return write.recover(e -> Future.failedFuture(e instanceof StoreUnavailableException
        ? new ApiException(503, "WRITE_UNCONFIRMED", "The data store stopped answering while saving: the change may or "
            + "may not have been saved. Look at the device before trying again.")
        : e));
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
    return guard.sourceBlockedUntil(source).compose(until -> {
      if (until != null) {
        return Future.failedFuture(ApiException.tooManyRequests("Too many failed attempts from this address. Wait a while and try again.",
            Duration.between(clock.instant(), until)));
      }
      return unconfirmed(codes.enrol(deviceId, code, key.spkiBase64(), (before, after) -> park(AuditEvent.of("device.key_enrolled")
          .actor("kiosk:" + deviceId, "ANONYMOUS").establishment(after.establishment())
          .detail("device", deviceId).detail("key_id", key.keyId())
          .detail("replaced_key_id", before.publicKey() == null ? null : DeviceKey.keyIdOf(before.publicKey()))
          .detail("before", before.toJson()).detail("after", after.toJson()).build())));
    }).compose(enrolled -> {
      if (enrolled.isEmpty()) {
        return directory.device(deviceId).compose(d -> audit.append(AuditEvent.of("device.key_enrolled")
                .actor("kiosk:" + deviceId, "ANONYMOUS").establishment(d.map(KioskDevice::establishment).orElse(null))
                .outcome("FAILED").detail("device", deviceId).detail("reason", d.isEmpty() ? "UNKNOWN_DEVICE" : "BAD_CODE").build()))
            .compose(e -> guard.sourceFailed(source))
            .compose(x -> Future.failedFuture(new ApiException(401, "INVALID_ENROLMENT_CODE", BAD_CODE, "enrolment_code", null, null)));
      }
      Directory.Audited<KioskDevice> a = enrolled.get();
      // the key is stored with its pending audit entry, which the outbox will write: the kiosk is
      // told it is enrolled (told otherwise, it would throw away the key the gateway now expects)
      return outbox.complete(Keys.dirAuditOutbox(), a.parked().entry())
          .recover(e -> {
            log.warn("kiosk {} enrolled its key; the audit entry {} is pending (the outbox completes it)", deviceId, a.parked().changeId(), e);
            return Future.succeededFuture();
          })
          .map(v -> a.change().after().toJson());
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
