package org.kinlink.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditVerification.Kind;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;

/** The chain against a real Redis: whole chains verify, and every kind of tampering is named. */
class AuditChainTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aWholeChainVerifiesWithItsLatestCheckpoint() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(12);
    chain.checkpoint();
    chain.append(8);
    AuditCheckpoint latest = chain.checkpoint();
    AuditVerification result = chain.verify();
    assertTrue(result.ok(), result.summary());
    assertEquals(20, result.entries());
    assertEquals(20, result.lastCheckpoint().seq());
    assertEquals(latest, result.lastCheckpoint());
    assertNull(result.firstBad());
    assertEquals(latest, chain.checkpointer.file().read().orElseThrow(), "the file holds the latest checkpoint");
  }

  @Test
  void anEmptyChainIsWhole() {
    AuditVerification result = AuditFixture.fresh(kinlink).verify();
    assertTrue(result.ok());
    assertEquals(0, result.entries());
  }

  @Test
  void anAlteredFieldNamesThatEntry() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(10);
    JsonObject entry = new JsonObject(chain.stored(6));
    chain.store(6, entry.put("outcome", "OK").put("actor_id", "someone-else"));
    AuditVerification result = chain.verify();
    assertFalse(result.ok());
    assertEquals(6, result.firstBad().seq());
    assertEquals(Kind.ALTERED, result.firstBad().kind());
  }

  @Test
  void anAlteredEntryWithItsHashRecomputedIsCaughtByTheNextLink() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(10);
    chain.rehash(4, new JsonObject(chain.stored(4)).put("details", new JsonObject().put("i", 999)));
    AuditVerification result = chain.verify();
    assertEquals(4, result.firstBad().seq(), result.summary());
    assertEquals(Kind.ALTERED, result.firstBad().kind());
  }

  @Test
  void aDeletedEntryIsMissing() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(10);
    chain.delete(7);
    AuditVerification result = chain.verify();
    assertEquals(7, result.firstBad().seq());
    assertEquals(Kind.MISSING, result.firstBad().kind());
  }

  @Test
  void swappedEntriesAreOutOfOrder() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(10);
    String third = chain.stored(3);
    String fourth = chain.stored(4);
    chain.store(3, fourth);
    chain.store(4, third);
    AuditVerification result = chain.verify();
    assertEquals(3, result.firstBad().seq());
    assertEquals(Kind.OUT_OF_ORDER, result.firstBad().kind());
  }

  @Test
  void renumberedSwapIsStillCaught() {
    // a forger who swaps two entries and fixes their seq numbers breaks their hashes
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(10);
    JsonObject third = new JsonObject(chain.stored(3));
    JsonObject fourth = new JsonObject(chain.stored(4));
    chain.store(3, fourth.copy().put("seq", 3));
    chain.store(4, third.copy().put("seq", 4));
    AuditVerification result = chain.verify();
    assertEquals(3, result.firstBad().seq());
    assertEquals(Kind.ALTERED, result.firstBad().kind());
  }

  @Test
  void aTailCutAfterACheckpointIsCaughtByTheDataDirFile() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(20);
    assertEquals(20, chain.checkpoint().seq());
    // remove entries 16..20, the Redis checkpoints past 15, and make the head point at 15
    for (int seq = 16; seq <= 20; seq++) {
      chain.delete(seq);
    }
    chain.dropCheckpointsFrom(16);
    chain.setHead(15, new JsonObject(chain.stored(15)).getString("hash"));

    assertTrue(chain.verifyWithoutFile().ok(), "Redis alone looks whole: only the file can tell");
    AuditVerification result = chain.verify();
    assertFalse(result.ok());
    assertEquals(16, result.firstBad().seq());
    assertEquals(Kind.TRUNCATED, result.firstBad().kind());
    assertTrue(result.firstBad().detail().contains("truncated after checkpoint 20"), result.firstBad().detail());
  }

  @Test
  void aForgedCheckpointSignatureIsCaught() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(10);
    AuditCheckpoint real = chain.checkpoint();
    // right seq, hash and key id, but signed by some other key
    AuditSigningKey other = AuditSigningKey.loadOrCreate(AuditFixture.tempDir().resolve("other.key"));
    AuditCheckpoint signedByOther = AuditCheckpoint.sign(real.seq(), real.hash(), Instant.now(), other);
    AuditCheckpoint forged = new AuditCheckpoint(real.seq(), real.hash(), signedByOther.at(), real.keyId(), signedByOther.signature());
    chain.storeCheckpoint(forged);
    AuditVerification result = chain.verify();
    assertEquals(10, result.firstBad().seq());
    assertEquals(Kind.BAD_SIGNATURE, result.firstBad().kind());
  }

  @Test
  void aCheckpointByAnUnpublishedKeyIsCaught() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(5);
    AuditCheckpoint real = chain.checkpoint();
    AuditSigningKey stranger = AuditSigningKey.loadOrCreate(AuditFixture.tempDir().resolve("stranger.key"));
    AuditCheckpoint foreign = AuditCheckpoint.sign(real.seq(), real.hash(), Instant.now(), stranger);
    chain.storeCheckpoint(foreign);
    assertEquals(Kind.UNKNOWN_KEY, chain.verify().firstBad().kind());
  }

  @Test
  void aRewrittenChainWithEveryHashRecomputedContradictsItsSignedCheckpoint() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(10);
    chain.checkpoint();
    // turn entry 5's failed sign-in into a success and relink everything after it: self-consistent again
    JsonObject fifth = new JsonObject(chain.stored(5));
    assertEquals("FAILED", fifth.getString("outcome"));
    String prev = chain.rehash(5, fifth.put("outcome", "OK"));
    for (int seq = 6; seq <= 10; seq++) {
      prev = chain.rehash(seq, new JsonObject(chain.stored(seq)).put("prev_hash", prev));
    }
    chain.setHead(10, prev);
    AuditVerification result = chain.verify();
    assertFalse(result.ok());
    assertEquals(Kind.CHECKPOINT_MISMATCH, result.firstBad().kind());
    assertEquals(10, result.firstBad().seq());
  }

  @Test
  void twoNodesAppendingAtOnceBuildOneUnbrokenChain() {
    Redis second = Redis.connect(kinlink.redisUrl(), Duration.ofSeconds(5));
    try {
      AuditFixture chain = AuditFixture.fresh(kinlink);
      RedisAuditLog otherNode = new RedisAuditLog(second, chain.ns, kinlink.clock());
      List<Future<AuditEntry>> all = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        all.add(chain.log.append(AuditEvent.of("node.one").detail("i", i).build()));
        all.add(otherNode.append(AuditEvent.of("node.two").detail("i", i).build()));
      }
      Gateway.await(Future.all(all));
      Set<Long> seqs = new HashSet<>();
      for (Future<AuditEntry> f : all) {
        seqs.add(f.result().seq());
      }
      assertEquals(300, seqs.size(), "every append got its own place");
      assertEquals(1L, seqs.stream().mapToLong(Long::longValue).min().orElseThrow());
      assertEquals(300L, seqs.stream().mapToLong(Long::longValue).max().orElseThrow());
      AuditVerification result = chain.verify();
      assertTrue(result.ok(), result.summary());
      assertEquals(300, result.entries());
    } finally {
      second.close();
    }
  }

  @Test
  void checkpointsAreTakenEveryNEntries() {
    AuditFixture base = AuditFixture.fresh(kinlink);
    AuditCheckpointer every5 = new AuditCheckpointer(base.vertx, base.redis, base.ns,
        base.checkpointer.key(), base.checkpointer.file(), kinlink.clock(), 5, Duration.ZERO);
    RedisAuditLog log = new RedisAuditLog(base.redis, base.ns, kinlink.clock()).withCheckpoints(every5);
    Gateway.await(log.start(Duration.ofSeconds(5)));
    for (int i = 0; i < 5; i++) {
      Gateway.await(log.append(AuditEvent.of("tick").build()));
    }
    // the trigger runs after the append completes, asynchronously: wait for it (functional deadline, not a timing assertion)
    // (the fixture's own interval checkpointer may add checkpoints too: wait for the one this test expects)
    List<String> first = awaitCheckpoints(base, 5);
    assertEquals(5, AuditCheckpoint.decode(first.get(first.size() - 1)).seq(), "taken at the 5th entry without being asked");
    for (int i = 0; i < 7; i++) {
      Gateway.await(log.append(AuditEvent.of("tick").build()));
    }
    List<String> later = awaitCheckpoints(base, 10);
    long latest = AuditCheckpoint.decode(later.get(later.size() - 1)).seq();
    assertTrue(latest >= 10 && latest <= 12, "a second checkpoint once 5 more entries were written: " + later);
    assertTrue(base.verify().ok());
  }

  /** Waits until a checkpoint covers entry {@code seq}; returns them all, ordered by seq. */
  private List<String> awaitCheckpoints(AuditFixture base, long seq) {
    Eventually.await("a checkpoint at or after entry " + seq, Duration.ofSeconds(10), () -> {
      List<String> checkpoints = base.checkpointsStored();
      return !checkpoints.isEmpty() && AuditCheckpoint.decode(checkpoints.get(checkpoints.size() - 1)).seq() >= seq;
    });
    return base.checkpointsStored();
  }
}
