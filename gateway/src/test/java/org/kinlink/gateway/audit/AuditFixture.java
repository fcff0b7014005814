package org.kinlink.gateway.audit;

import io.lettuce.core.Range;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.KinlinkExtension;

/** One independent audit chain for a test: its own namespace, data dir and signing key, on a given Redis. */
final class AuditFixture {
  final Vertx vertx;
  final Redis redis;
  final String ns;
  final Path dataDir;
  final RedisAuditLog log;
  final AuditCheckpointer checkpointer;

  AuditFixture(Vertx vertx, Redis redis, String ns, Path dataDir, Clock clock) {
    this.vertx = vertx;
    this.redis = redis;
    this.ns = ns;
    this.dataDir = dataDir;
    // checkpoints only when a test asks (no count trigger within reach, no timer)
    this.checkpointer = new AuditCheckpointer(vertx, redis, ns,
        AuditSigningKey.loadOrCreate(dataDir.resolve("audit/signing.key")), AuditCheckpointFile.inDataDir(dataDir),
        clock, 1_000_000, Duration.ZERO);
    this.log = new RedisAuditLog(redis, ns, clock).withCheckpoints(checkpointer);
    Gateway.await(log.start(Duration.ofSeconds(5)));
  }

  /** A fresh chain with a unique namespace in the extension's Redis database, on its Vert.x and clock. */
  static AuditFixture fresh(KinlinkExtension kinlink) {
    return new AuditFixture(kinlink.vertx(), kinlink.redis(), "kl:{audit-" + UUID.randomUUID() + "}", tempDir(),
        kinlink.clock());
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("kinlink-audit-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends {@code n} entries about styal prisoners and waits for each. */
  void append(int n) {
    for (int i = 0; i < n; i++) {
      Gateway.await(log.append(AuditEvent.of("auth.login").actor("acct-" + i, "OFFICER").establishment("styal")
          .prisoner("A" + (100 + i % 3)).outcome(i % 4 == 0 ? "FAILED" : "OK").detail("i", i).build()));
    }
  }

  AuditCheckpoint checkpoint() {
    return Gateway.await(checkpointer.checkpoint()).orElseThrow();
  }

  AuditVerification verify() {
    return Gateway.await(log.verify(vertx));
  }

  /** Verification as a node without its data dir sees it (Redis only). */
  AuditVerification verifyWithoutFile() {
    return Gateway.await(new AuditVerifier(redis, ns, null).verify(Optional.empty(), Optional.empty()));
  }

  String stored(long seq) {
    return Gateway.await(redis.call(c -> c.hget(Keys.auditEntries(ns), Long.toString(seq))));
  }

  void store(long seq, String text) {
    Gateway.await(redis.call(c -> c.hset(Keys.auditEntries(ns), Long.toString(seq), text)));
  }

  void store(long seq, JsonObject json) {
    store(seq, CanonicalJson.encode(json));
  }

  /** Rewrites an entry's content and recomputes its own hash, as a careful forger would. */
  String rehash(long seq, JsonObject json) {
    String hash = ChainHash.of(json.getString("prev_hash"), CanonicalJson.bytes(AuditCodec.canonicalOf(json)));
    store(seq, json.copy().put("hash", hash));
    return hash;
  }

  /** Deletes entry {@code seq}, as someone with write access to Redis could. */
  void delete(long seq) {
    Gateway.await(redis.call(c -> c.hdel(Keys.auditEntries(ns), Long.toString(seq))));
  }

  /** How many entries Redis holds for this chain. */
  long entriesStored() {
    return Gateway.<Long>await(redis.call(c -> c.hlen(Keys.auditEntries(ns))));
  }

  /** The checkpoints in Redis, encoded, ordered by the entry each covers. */
  List<String> checkpointsStored() {
    return Gateway.await(redis.call(c -> c.zrange(Keys.auditCheckpoints(ns), 0, -1)));
  }

  /** Puts {@code checkpoint} among the chain's checkpoints in Redis, where the checkpointer would. */
  void storeCheckpoint(AuditCheckpoint checkpoint) {
    Gateway.await(redis.call(c -> c.zadd(Keys.auditCheckpoints(ns), (double) checkpoint.seq(), checkpoint.encode())));
  }

  /** Removes the checkpoints in Redis that cover entry {@code seq} or later. */
  void dropCheckpointsFrom(long seq) {
    Gateway.await(redis.call(c -> c.zremrangebyscore(Keys.auditCheckpoints(ns), Range.create(seq, Double.POSITIVE_INFINITY))));
  }

  void setHead(long seq, String hash) {
    Gateway.await(redis.call(c -> c.hset(Keys.auditHead(ns), java.util.Map.of("seq", Long.toString(seq), "hash", hash))));
  }
}
