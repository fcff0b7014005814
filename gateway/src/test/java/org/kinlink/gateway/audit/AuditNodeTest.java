package org.kinlink.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;

/** The audit log as a gateway node runs it: its key, its timer, its last checkpoint at shutdown. */
class AuditNodeTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aNodeSignsWhatItAppendedWhenItStopsAndKeepsItsKeyPrivate() throws Exception {
    Gateway gateway = kinlink.gateway();
    Path dataDir = gateway.config().dataDir();
    AuditEntry last;
    try {
      AuditLog log = gateway.services().audit();
      Gateway.await(log.append(AuditEvent.of("auth.login").outcome("FAILED").establishment("styal").build()));
      last = Gateway.await(log.append(AuditEvent.of("auth.lockout").outcome("LOCKED").establishment("styal").build()));
    } finally {
      gateway.close();
    }
    AuditCheckpoint cp = AuditCheckpointFile.inDataDir(dataDir).read().orElseThrow();
    assertTrue(cp.seq() >= last.seq(), "the shutdown checkpoint covers the last entry: " + cp + " vs " + last.seq());
    Path key = dataDir.resolve("audit/signing.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals(AuditSigningKey.loadOrCreate(key).keyId(), cp.keyId(), "the same key is used again on the next start");
  }

  @Test
  void theTimerSignsNewEntriesWithoutWaitingForTheCount() {
    Vertx vertx = kinlink.vertx();
    Redis redis = kinlink.redis();
    AuditFixture base = AuditFixture.fresh(kinlink);
    AuditCheckpointer timed = new AuditCheckpointer(vertx, redis, base.ns, base.checkpointer.key(),
        base.checkpointer.file(), kinlink.clock(), 1_000_000, Duration.ofMillis(100));
    RedisAuditLog log = new RedisAuditLog(redis, base.ns, kinlink.clock()).withCheckpoints(timed);
    Gateway.await(log.start(Duration.ofSeconds(5)));
    for (int i = 0; i < 3; i++) {
      Gateway.await(log.append(AuditEvent.of("tick").build()));
    }
    // the timer fires in real time (100 ms): wait (generously) for the behaviour, not for a particular time
    Eventually.await("the timer's checkpoint of entry 3", Duration.ofSeconds(20),
        () -> timed.file().read().map(c -> c.seq() >= 3).orElse(false));
    assertEquals(3, timed.file().read().orElseThrow().seq());
    Gateway.await(log.stop());
    assertTrue(base.verify().ok());
  }
}
