package org.kinlink.gateway.devices;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.time.Clock;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.crypto.DeviceKey;
import org.kinlink.gateway.crypto.SecretFile;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.Parked;
import org.kinlink.gateway.redis.Keys;

/**
 * The demo's kiosks (demo only, like its TOTP secret): each is enrolled with a P-256 key pair
 * whose private key is kept in {@code <data-dir>/demo/kiosks/<device-id>.pem} (PKCS#8, mode 0600),
 * so the kiosk page can act as one of them without an enrolment code. A key file that is missing
 * (a data dir from before device keys) is made, and the device re-keyed to match it, at start; the
 * re-keying commits together with its pending audit entry, as every device change does.
 */
public final class DemoKiosks {
  private final Vertx vertx;
  private final Directory directory;
  private final AuditOutbox outbox;
  private final Clock clock;
  private final Path dir;
  private final List<String> deviceIds;

  /** @param outbox completes the directory's parked audit entries (its sweeper completes what a crash leaves) */
  public DemoKiosks(Vertx vertx, Directory directory, AuditOutbox outbox, Clock clock, Path dataDir, List<String> deviceIds) {
    this.vertx = vertx;
    this.directory = directory;
    this.outbox = outbox;
    this.clock = clock;
    this.dir = dataDir.resolve("demo").resolve("kiosks");
    this.deviceIds = List.copyOf(deviceIds);
  }

  /** The key file of a demo kiosk. */
  public Path keyFile(String deviceId) {
    return dir.resolve(deviceId + ".pem");
  }

  /** Makes every demo kiosk's key file if missing and enrols its public key where it differs; audited. */
  public Future<Void> ensure() {
    Future<Void> all = Future.succeededFuture();
    for (String id : deviceIds) {
      all = all.compose(v -> vertx.executeBlocking(() -> publicKeyOf(id), false))
          .compose(spki -> directory.device(id).compose(d -> {
            if (d.isEmpty() || spki.equals(d.get().publicKey()) && d.get().enrolled()) {
              return Future.succeededFuture();
            }
            return directory.updateDevice(id, before -> before.withKey(spki), (before, after) -> Parked.of(
                    AuditEvent.of("device.key_enrolled").actor("demo", "SYSTEM").establishment(after.establishment())
                        .detail("device", id).detail("key_id", DeviceKey.keyIdOf(spki))
                        .detail("note", "demo kiosk key from " + keyFile(id).getFileName()).build(), clock.millis()))
                .compose(found -> found.map(a -> outbox.complete(Keys.dirAuditOutbox(), a.parked().entry()))
                    .orElse(Future.succeededFuture()));
          }));
    }
    return all;
  }

  /** {@code {items: [{device_id, label, establishment, private_key_pkcs8}]}}: what the demo kiosk page may act as. */
  public Future<JsonObject> list() {
    return directory.establishments().compose(ests -> {
      List<Future<Optional<KioskDevice>>> devices = new ArrayList<>();
      deviceIds.forEach(id -> devices.add(directory.device(id)));
      return Future.all(devices).compose(all -> vertx.executeBlocking(() -> {
        JsonArray items = new JsonArray();
        for (int i = 0; i < deviceIds.size(); i++) {
          Optional<KioskDevice> d = all.resultAt(i);
          Path file = keyFile(deviceIds.get(i));
          if (d.isEmpty() || !d.get().usable() || !Files.exists(file)) {
            continue;
          }
          String estName = ests.stream().filter(e -> e.id().equals(d.get().establishment())).map(Establishment::name)
              .findFirst().orElse(d.get().establishment());
          byte[] pkcs8 = DeviceKey.pkcs8FromPem(Files.readString(file, StandardCharsets.US_ASCII));
          items.add(new JsonObject().put("device_id", d.get().id()).put("label", estName + " — " + d.get().location())
              .put("establishment", d.get().establishment()).put("private_key_pkcs8", Base64.getEncoder().encodeToString(pkcs8)));
        }
        return new JsonObject().put("items", items);
      }, false));
    });
  }

  /** Blocking: reads the key file, creating it first if there is none; answers its public key (SPKI base64). */
  private String publicKeyOf(String deviceId) {
    Path file = keyFile(deviceId);
    try {
      if (!Files.exists(file)) {
        SecretFile.createOnce(file, DeviceKey.pkcs8Pem(DeviceKey.pkcs8WithPublicKey(DeviceKey.generate().getPrivate())).getBytes(StandardCharsets.US_ASCII));
      }
      KeyPair pair = DeviceKey.fromPkcs8(DeviceKey.pkcs8FromPem(Files.readString(file, StandardCharsets.US_ASCII)));
      return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the demo kiosk key " + file, e);
    }
  }
}
