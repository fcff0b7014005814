package org.kinlink.gateway.jitsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinlink.media.jitsi.EstablishmentBackends;
import org.kinlink.media.jitsi.JitsiMediaBackend;

/** Choosing a backend per establishment is configuration only; the key pairs are made once and kept. */
class JitsiSetupTest {
  static final Vertx vertx = Vertx.vertx();

  @AfterAll
  static void close() {
    vertx.close();
  }

  static final String FILE = """
      establishments:
        HMP-A:
          media:
            backend: jitsi
            jitsi: {base_url: "https://meet.example.org", prosody_http_url: "http://prosody:5280", jibri_urls: ["http://jibri:2222"]}
        HMP-B:
          media: {backend: embedded}
      """;

  @Test
  void anEstablishmentOnJitsiGetsJitsiAndKeysAreGeneratedOnceWithMode0600(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("media.yaml");
    Files.writeString(file, FILE);
    JitsiSetup one = JitsiSetup.load(vertx, dir.resolve("data"), file, Clock.systemUTC(), Duration.ofMinutes(2)).orElseThrow();
    Path key = dir.resolve("data/jitsi/login.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    JitsiSetup two = JitsiSetup.load(vertx, dir.resolve("data"), file, Clock.systemUTC(), Duration.ofMinutes(2)).orElseThrow();
    assertEquals(one.backend().tokens().loginKeys().publicPem(), two.backend().tokens().loginKeys().publicPem(),
        "a restart signs with the same key prosody already cached");
    assertTrue(!one.backend().tokens().loginKeys().publicPem().equals(one.backend().tokens().systemKeys().publicPem()),
        "login and system tokens use separate key pairs");

    EstablishmentBackends routed = (EstablishmentBackends) one.around(new org.kinlink.media.embedded.EmbeddedMediaBackend(
        Clock.systemUTC(), java.util.List.of(), java.util.List.of(), null, Duration.ofMinutes(2), Duration.ofSeconds(10)));
    assertEquals(JitsiMediaBackend.NAME, routed.choose(java.util.Set.of("HMP-A")).name());
    assertEquals("embedded", routed.choose(java.util.Set.of("HMP-B")).name());
    assertEquals("embedded", routed.choose(java.util.Set.of("HMP-A", "HMP-B")).name(), "a call across deployments stays embedded");
  }

  @Test
  void aMissingOrWrongSettingIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("media.yaml");
    Files.writeString(file, FILE.replace("prosody_http_url: \"http://prosody:5280\", ", ""));
    var e = assertThrows(IllegalArgumentException.class,
        () -> JitsiSetup.load(vertx, dir, file, Clock.systemUTC(), Duration.ofMinutes(2)));
    assertEquals("establishments.HMP-A.media.jitsi.prosody_http_url is required", e.getMessage());
    Files.writeString(file, FILE.replace("backend: embedded", "backend: zoom"));
    assertThrows(IllegalArgumentException.class, () -> JitsiSetup.load(vertx, dir, file, Clock.systemUTC(), Duration.ofMinutes(2)));
    assertTrue(JitsiSetup.load(vertx, dir, dir.resolve("none.yaml"), Clock.systemUTC(), Duration.ofMinutes(2)).isEmpty());
  }
}
