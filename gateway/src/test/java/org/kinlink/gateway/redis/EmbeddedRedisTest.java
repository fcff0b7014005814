package org.kinlink.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinlink.gateway.Gateway;

class EmbeddedRedisTest {
  @TempDir
  Path dir;

  @Test
  void anAcknowledgedWriteSurvivesAHardKill() {
    EmbeddedRedis first = EmbeddedRedis.start(dir);
    try (Redis redis = Redis.connect(first.url(), Duration.ofSeconds(2))) {
      assertEquals("OK", Gateway.await(redis.call(c -> c.set("kl:test:durable", "kept"))));
    }
    first.kill(); // no shutdown, no final flush: only appendfsync always saves it
    try (EmbeddedRedis second = EmbeddedRedis.start(dir);
        Redis redis = Redis.connect(second.url(), Duration.ofSeconds(2))) {
      assertEquals("kept", Gateway.await(redis.call(c -> c.get("kl:test:durable"))));
    }
  }

  @Test
  void aServerLeftRunningByACrashedGatewayIsStoppedOnTheNextStart() throws Exception {
    EmbeddedRedis orphan = EmbeddedRedis.start(dir);
    long orphanPid = Long.parseLong(Files.readString(dir.resolve("kinlink-redis.pid")).trim());
    // the gateway "crashed": its lock on the directory went with it, its Redis did not
    orphan.abandon();
    try (EmbeddedRedis fresh = EmbeddedRedis.start(dir)) {
      assertFalse(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false), "the stale server was stopped");
      try (Redis redis = Redis.connect(fresh.url(), Duration.ofSeconds(2))) {
        assertTrue(Gateway.await(redis.ping()));
      }
    }
    orphan.close();
  }

  @Test
  void closeStopsTheServerAndRemovesItsPidFile() throws Exception {
    EmbeddedRedis redis = EmbeddedRedis.start(dir);
    long pid = Long.parseLong(Files.readString(dir.resolve("kinlink-redis.pid")).trim());
    redis.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(Files.exists(dir.resolve("kinlink-redis.pid")));
    assertTrue(Files.exists(dir.resolve("appendonly.aof")) || Files.exists(dir.resolve("kinlink.aof")), "AOF is on");
  }
}
