package org.kinlink.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinlink.gateway.Main;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile() throws IOException {
    Path file = dir.resolve("kinlink.yaml");
    Files.writeString(file, "port: 9000\nhost: 0.0.0.0\nredis-command-timeout: PT5S\n");
    GatewayConfig config = new ConfigLoader()
        .file(file)
        .environment(Map.of("KINLINK_PORT", "9100", "KINLINK_DATA_DIR", "/var/lib/kinlink"))
        .flag("port", 9200)
        .build(GatewayConfig.defaults());
    assertEquals(9200, config.port());
    assertEquals("0.0.0.0", config.host());
    assertEquals(Path.of("/var/lib/kinlink"), config.dataDir());
    assertEquals(Duration.ofSeconds(5), config.redisCommandTimeout());
  }

  @Test
  void aWrongValueNamesTheSettingWhereItCameFromAndWhatIsAccepted() {
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader()
        .environment(Map.of("KINLINK_PORT", "eighty"))
        .build(GatewayConfig.defaults()));
    assertEquals("KINLINK_PORT", e.setting());
    assertTrue(e.getMessage().contains("a whole number from 0 to 65535"), e.getMessage());
  }

  @Test
  void theRandomReviewShareIsAKeyFromZeroToOneWithServeAndDemoDefaults() throws IOException {
    assertEquals(0.02, new ConfigLoader().build(GatewayConfig.defaults()).randomReviewShare(), "serve holds 2% at random");
    assertEquals(0.0, new ConfigLoader().build(GatewayConfig.defaults().withDemo(true)).randomReviewShare(),
        "the demo's stories stay predictable");
    Path file = dir.resolve("kinlink.yaml");
    Files.writeString(file, "messaging-random-review-share: 0.1\n");
    assertEquals(0.1, new ConfigLoader().file(file).build(GatewayConfig.defaults()).randomReviewShare());
    assertEquals(0.05, new ConfigLoader().file(file).environment(Map.of("KINLINK_MESSAGING_RANDOM_REVIEW_SHARE", "5%"))
        .build(GatewayConfig.defaults().withDemo(true)).randomReviewShare(), "a set share applies in the demo too");
    for (String wrong : new String[] {"1.5", "-0.1", "lots", "NaN"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader()
          .environment(Map.of("KINLINK_MESSAGING_RANDOM_REVIEW_SHARE", wrong)).build(GatewayConfig.defaults()));
      assertEquals("KINLINK_MESSAGING_RANDOM_REVIEW_SHARE", e.setting());
      assertTrue(e.getMessage().contains("a share from 0 to 1"), e.getMessage());
    }
  }

  @Test
  void recordingsLiveUnderTheDataDirUnlessTheirDirectoryIsSet() throws IOException {
    GatewayConfig d = new ConfigLoader().flag("data-dir", "/srv/kinlink").build(GatewayConfig.defaults());
    assertEquals(Path.of("/srv/kinlink/recordings"), d.recordingsDirectory());
    Path file = dir.resolve("kinlink.yaml");
    Files.writeString(file, "recordings-dir: /mnt/shared/recordings\n");
    assertEquals(Path.of("/mnt/shared/recordings"), new ConfigLoader().file(file).build(GatewayConfig.defaults()).recordingsDirectory());
    assertEquals(Path.of("/mnt/nfs/rec"), new ConfigLoader().file(file).environment(Map.of("KINLINK_RECORDINGS_DIR", "/mnt/nfs/rec"))
        .build(GatewayConfig.defaults()).recordingsDirectory(), "the environment beats the file");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader()
        .environment(Map.of("KINLINK_RECORDINGS_DIR", " ")).build(GatewayConfig.defaults()));
    assertEquals("KINLINK_RECORDINGS_DIR", e.setting());
  }

  @Test
  void anUnknownKeyInTheFileIsAnErrorNotSilentlyIgnored() throws IOException {
    Path file = dir.resolve("kinlink.yaml");
    Files.writeString(file, "prot: 9000\n");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().file(file).build(GatewayConfig.defaults()));
    assertEquals("prot", e.setting());
    assertTrue(e.getMessage().contains("accepted:"), e.getMessage());
  }

  @Test
  void connectionLimitsTimeoutsAndTheOperationsListenerAreSettings() throws IOException {
    Path file = dir.resolve("kinlink.yaml");
    Files.writeString(file, "ops-port: 9464\nidle-timeout: PT30S\nheader-timeout: PT5S\nmax-connections-per-source: 16\n"
        + "max-json-depth: 16\n");
    GatewayConfig config = new ConfigLoader().file(file)
        .environment(Map.of("KINLINK_MAX_CONNECTIONS", "500", "KINLINK_WEBSOCKET_IDLE_TIMEOUT", "PT90S",
            "KINLINK_METRICS_TOKEN", "t".repeat(40)))
        .build(GatewayConfig.defaults());
    HttpSettings http = config.http();
    assertEquals(9464, http.opsPort());
    assertEquals("127.0.0.1", http.opsHost(), "loopback unless told otherwise");
    assertEquals(Duration.ofSeconds(30), http.idleTimeout());
    assertEquals(Duration.ofSeconds(5), http.headerTimeout());
    assertEquals(Duration.ofSeconds(90), http.websocketIdleTimeout());
    assertEquals(500, http.maxConnections());
    assertEquals(16, http.maxConnectionsPerSource());
    assertEquals(16, http.maxJsonDepth());
    assertEquals("t".repeat(40), http.metricsToken().orElseThrow());
    ConfigException shortToken = assertThrows(ConfigException.class, () -> new ConfigLoader()
        .environment(Map.of("KINLINK_METRICS_TOKEN", "guessable")).build(GatewayConfig.defaults()));
    assertEquals("KINLINK_METRICS_TOKEN", shortToken.setting());
    ConfigException zero = assertThrows(ConfigException.class, () -> new ConfigLoader()
        .flag("max-connections-per-source", 0).build(GatewayConfig.defaults()));
    assertTrue(zero.getMessage().contains("a whole number from 1"), zero.getMessage());
  }

  @Test
  void aRedisUrlMustBeARedisUrl() {
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader()
        .environment(Map.of("KINLINK_REDIS_URL", "http://localhost:6379"))
        .build(GatewayConfig.defaults()));
    assertEquals("KINLINK_REDIS_URL", e.setting());
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() throws IOException {
    Path cert = Files.writeString(dir.resolve("gw.crt"), "x");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader()
        .flag("tls-certificate", cert)
        .build(GatewayConfig.defaults()));
    assertEquals("tls-private-key", e.setting());
  }

  @Test
  void serveExitsWithTwoAndNamesTheSettingBeforeAnythingStarts() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "access-token-ttl: ten minutes\n");
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.run("serve", "--config", file.toString(), "--data-dir", dir.resolve("data").toString());
    } finally {
      System.setErr(originalErr);
    }
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("access-token-ttl"), err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.notExists(dir.resolve("data")), "nothing was started or written");
  }

  @Test
  void aMissingConfigFileIsBadUsage() {
    assertEquals(2, Main.run("serve", "--config", dir.resolve("missing.yaml").toString()));
  }

  @Test
  void aFlagOfTheWrongTypeIsBadUsage() {
    assertEquals(2, Main.run("serve", "--port", "eighty"));
  }
}
