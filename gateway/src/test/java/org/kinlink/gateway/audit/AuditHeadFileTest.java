package org.kinlink.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditVerification.Kind;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Issue 9 item 10: every acknowledged append is covered by a signed head in the data dir, not only
 * those up to the last checkpoint; and issue 9 item 2: an outbox change is on the chain once however
 * often it is completed.
 */
class AuditHeadFileTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void everyAcknowledgedBatchHeadIsSignedInTheHeadFile() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(3);
    AuditCheckpoint head = chain.checkpointer.file().heads().last().orElseThrow();
    assertEquals(3, head.seq(), "the head of the last acknowledged append, with no checkpoint taken");
    assertEquals(new JsonObject(chain.stored(3)).getString("hash"), head.hash());
    assertTrue(head.verifiedBy(chain.checkpointer.key().publicKeyBase64()));
    assertTrue(chain.verify().ok(), chain.verify().summary());
  }

  @Test
  void anEntryRewrittenAfterTheLastCheckpointIsReported() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(4);
    assertEquals(4, chain.checkpoint().seq());
    chain.append(4);
    // entry 6 (after the checkpoint): a failed sign-in made a success, everything after relinked, head moved
    JsonObject sixth = new JsonObject(chain.stored(6));
    String prev = chain.rehash(6, sixth.put("outcome", "REWRITTEN"));
    for (int seq = 7; seq <= 8; seq++) {
      prev = chain.rehash(seq, new JsonObject(chain.stored(seq)).put("prev_hash", prev));
    }
    chain.setHead(8, prev);
    assertTrue(chain.verifyWithoutFile().ok(), "Redis alone and checkpoint 4 both look whole");

    AuditVerification result = chain.verify();
    assertFalse(result.ok(), result.summary());
    assertEquals(Kind.CHECKPOINT_MISMATCH, result.firstBad().kind());
    assertEquals(8, result.firstBad().seq());
    assertTrue(result.firstBad().detail().contains(AuditHeadFile.NAME), result.firstBad().detail());

    AuditCliTest.Run cli = AuditCliTest.kinlink("audit", "verify", "--redis", kinlink.redisUrl(), "--namespace", chain.ns,
        "--data-dir", chain.dataDir.toString());
    assertEquals(1, cli.exit(), cli.out());
    assertTrue(cli.out().contains("BROKEN at entry 8 (checkpoint_mismatch)"), cli.out());
  }

  @Test
  void aDeletedTailAfterTheLastCheckpointIsReported() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(5);
    assertEquals(5, chain.checkpoint().seq());
    chain.append(3);
    for (int seq = 6; seq <= 8; seq++) {
      chain.delete(seq);
    }
    chain.setHead(5, new JsonObject(chain.stored(5)).getString("hash"));
    assertTrue(chain.verifyWithoutFile().ok());

    AuditVerification result = chain.verify();
    assertFalse(result.ok(), result.summary());
    assertEquals(Kind.TRUNCATED, result.firstBad().kind());
    assertEquals(6, result.firstBad().seq());
  }

  @Test
  void aChangeCompletedAgainIsOnTheChainOnce() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    String changeId = UUID.randomUUID().toString();
    AuditEvent event = AuditEvent.of("device.enrol").establishment("styal").detail("device", "k1").build()
        .withChangeId(changeId);
    AuditEntry first = Gateway.await(chain.log.append(event));
    chain.append(2);
    AuditEntry again = Gateway.await(chain.log.append(event));
    assertEquals(first.seq(), again.seq(), "answered with the entry already on the chain");
    // several at once, in one batch with other entries
    List<Future<AuditEntry>> racing = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      racing.add(chain.log.append(event));
      racing.add(chain.log.append(AuditEvent.of("auth.login").establishment("styal").detail("i", i).build()));
    }
    Gateway.await(Future.all(racing));
    long entries = chain.entriesStored();
    assertEquals(1 + 2 + 5, entries, "the change once, every other event once");
    for (int i = 0; i < racing.size(); i += 2) {
      assertEquals(first.seq(), racing.get(i).result().seq());
    }
    AuditVerification result = chain.verify();
    assertTrue(result.ok(), result.summary());
  }
}
