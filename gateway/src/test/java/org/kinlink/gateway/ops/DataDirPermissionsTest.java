package org.kinlink.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.TestGateway;

/** The data dir holds password hashes, TOTP secrets and signing keys: nobody but its owner may read it. */
class DataDirPermissionsTest {

  @Test
  void everyDirectoryIs0700AndEveryFile0600IncludingRedisFiles() throws Exception {
    GatewayConfig config = TestGateway.config().withRedisUrl(Optional.empty());
    // as a restore or an older version might leave it
    Files.setPosixFilePermissions(config.dataDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Gateway gateway = Gateway.start(config)) {
      Probe.Answer refused = Probe.post(gateway.port(), "/api/v1/auth/login",
          new io.vertx.core.json.JsonObject().put("email", "nobody@example.org").put("password", "wrong"));
      assertEquals(401, refused.status()); // a write to the AOF and an audit entry
      assertOwnerOnly(config.dataDir());
    }
    // after the last checkpoint and Redis's final flush at shutdown, too
    List<String> files = assertOwnerOnly(config.dataDir());
    assertTrue(files.contains("redis/kinlink.aof"), files.toString());
    assertTrue(files.contains("redis/kinlink-redis.password"), files.toString());
    assertTrue(files.contains("audit/signing.key"), files.toString());
    assertTrue(files.contains("audit/checkpoint.json"), files.toString());
  }

  @Test
  void theEmbeddedRedisRequiresItsPasswordAndListensOnLoopbackOnly() throws Exception {
    GatewayConfig config = TestGateway.config().withRedisUrl(Optional.empty());
    try (Gateway gateway = Gateway.start(config)) {
      int port = gateway.embeddedRedis().port();
      // without the password: refused (Lettuce's handshake, or the first command, gets NOAUTH)
      Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> {
        try (Redis anonymous = Redis.connect("redis://127.0.0.1:" + port, Duration.ofSeconds(2))) {
          Gateway.await(anonymous.call(c -> c.get("kl:auth:token-key")));
        }
      });
      assertTrue(causes(refused).contains("NOAUTH"), causes(refused));
      try (Redis owner = Redis.connect(gateway.embeddedRedis().url(), Duration.ofSeconds(2))) {
        assertEquals(List.of("bind", "127.0.0.1"), List.copyOf(Gateway.await(owner.call(c -> c.configGet("bind")))
            .entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toList()));
      }
      String cmdline = Files.readString(Path.of("/proc", Long.toString(gateway.embeddedRedis().pid()), "cmdline"));
      assertFalse(cmdline.contains(Files.readString(config.dataDir().resolve("redis/kinlink-redis.password")).trim()),
          "the password is not on the command line, which every local user can read");
    }
  }

  private static String causes(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c).append(" / ");
    }
    return s.toString();
  }

  /** Asserts and answers the files under {@code dir} (relative paths). */
  private static List<String> assertOwnerOnly(Path dir) throws Exception {
    List<String> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        if (Files.isSymbolicLink(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        String name = dir.relativize(p).toString();
        if (Files.isDirectory(p)) {
          assertEquals("rwx------", PosixFilePermissions.toString(perms), "directory " + name);
        } else {
          files.add(name);
          String expected = name.equals("redis/redis-server") ? "rwx------" : "rw-------";
          assertEquals(expected, PosixFilePermissions.toString(perms), "file " + name);
        }
      }
    }
    return files;
  }
}
