package org.kinlink.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.Main;
import org.kinlink.gateway.redis.EmbeddedRedis;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.KinlinkExtension;

/** {@code kinlink audit ...} as an operator runs it: exit codes and what it prints. */
class AuditCliTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  /** Exit code and stdout of one run. */
  record Run(int exit, String out) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  static synchronized Run kinlink(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run(args);
      System.out.flush();
      return new Run(exit, buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void verifyExitsZeroWhenWholeAndOneNamingTheFirstBadEntry() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(8);
    Run whole = kinlink("audit", "verify", "--redis", kinlink.redisUrl(), "--namespace", chain.ns);
    assertEquals(0, whole.exit(), whole.out());
    assertTrue(whole.out().startsWith("audit chain OK: 8 entries"), whole.out());

    JsonObject fourth = new JsonObject(chain.stored(4));
    chain.store(4, fourth.put("action", "auth.logout"));
    Run broken = kinlink("audit", "verify", "--redis", kinlink.redisUrl(), "--namespace", chain.ns);
    assertEquals(1, broken.exit(), broken.out());
    assertTrue(broken.out().contains("BROKEN at entry 4 (altered)"), broken.out());

    Run json = kinlink("audit", "verify", "--json", "--redis", kinlink.redisUrl(), "--namespace", chain.ns);
    assertEquals(1, json.exit());
    JsonObject result = new JsonObject(json.out().trim());
    assertEquals(4, result.getJsonObject("first_bad").getLong("seq"));
    assertEquals("altered", result.getJsonObject("first_bad").getString("problem"));
  }

  @Test
  void badUsageExitsTwo() {
    assertEquals(2, kinlink("audit", "verify", "--no-such-option").exit());
    assertEquals(2, kinlink("audit", "verify", "--data-dir", "/nonexistent/kinlink-data").exit());
    assertEquals(2, kinlink("audit", "export", "--redis", kinlink.redisUrl(), "--format", "xml").exit());
    assertEquals(2, kinlink("audit", "export", "--redis", kinlink.redisUrl(), "--from", "yesterday").exit());
    assertEquals(2, kinlink("audit").exit());
  }

  @Test
  void theChainSurvivesARestartOfTheEmbeddedRedisAndTheDataDirCatchesACutTail() {
    Path dataDir = AuditFixture.tempDir();
    EmbeddedRedis embedded = EmbeddedRedis.start(dataDir.resolve("redis"));
    Redis client = Redis.connect(embedded.url(), Duration.ofSeconds(5));
    AuditFixture before = new AuditFixture(kinlink.vertx(), client, Keys.AUDIT, dataDir, kinlink.clock());
    before.append(30);
    before.checkpoint();
    client.close();
    embedded.close();

    embedded = EmbeddedRedis.start(dataDir.resolve("redis"));
    client = Redis.connect(embedded.url(), Duration.ofSeconds(5));
    AuditFixture after = new AuditFixture(kinlink.vertx(), client, Keys.AUDIT, dataDir, kinlink.clock());
    AuditVerification restarted = after.verify();
    assertTrue(restarted.ok(), restarted.summary());
    assertEquals(30, restarted.entries());
    assertEquals(30, restarted.lastCheckpoint().seq());
    after.append(5);
    assertEquals(35, after.verify().entries());

    // while that Redis runs (as a gateway's would), the CLI uses it rather than starting another
    Run live = kinlink("audit", "verify", "--data-dir", dataDir.toString());
    assertEquals(0, live.exit(), live.out());
    assertTrue(live.out().startsWith("audit chain OK: 35 entries"), live.out());
    assertEquals("PONG", Gateway.await(client.call(c -> c.ping())), "the gateway's Redis is still running");
    after.checkpoint();

    // cut entries 31..35 and every trace of them in Redis
    for (int seq = 31; seq <= 35; seq++) {
      after.delete(seq);
    }
    after.dropCheckpointsFrom(31);
    after.setHead(30, new JsonObject(after.stored(30)).getString("hash"));
    client.close();
    embedded.close();

    // no gateway running now: the CLI starts the data dir's Redis itself
    Run cut = kinlink("audit", "verify", "--data-dir", dataDir.toString());
    assertEquals(1, cut.exit(), cut.out());
    assertTrue(cut.out().contains("BROKEN at entry 31 (truncated)"), cut.out());
    assertTrue(cut.out().contains("truncated after checkpoint 35"), cut.out());
  }

  @Test
  void exportWritesMatchingEntriesAsCsvOrJsonLinesAndIsItselfOnRecord() {
    AuditFixture chain = AuditFixture.fresh(kinlink);
    chain.append(9); // prisoners A100, A101, A102 in turn
    Run csv = kinlink("audit", "export", "--redis", kinlink.redisUrl(), "--namespace", chain.ns,
        "--prisoner", "A101", "--format", "csv");
    assertEquals(0, csv.exit(), csv.out());
    assertEquals(String.join(",", AuditFormat.COLUMNS), csv.lines().get(0));
    assertEquals(4, csv.lines().size(), csv.out());
    assertTrue(csv.lines().get(1).startsWith("2,"), csv.out());

    Run ndjson = kinlink("audit", "export", "--redis", kinlink.redisUrl(), "--namespace", chain.ns, "--format", "ndjson");
    assertEquals(0, ndjson.exit());
    List<String> lines = ndjson.lines();
    assertEquals(10, lines.size(), "9 entries and the first export's own record: " + ndjson.out());
    assertEquals("audit.export", new JsonObject(lines.get(9)).getString("action"));
    AuditVerification result = chain.verify();
    assertTrue(result.ok());
    assertEquals(11, result.entries());
  }

  @Test
  void benchPrintsAJsonSummaryLast() {
    Run bench = kinlink("audit", "bench", "--entries", "40", "--concurrency", "4");
    assertEquals(0, bench.exit(), bench.out());
    JsonObject summary = new JsonObject(bench.lines().get(bench.lines().size() - 1));
    assertEquals(40, summary.getJsonObject("sequential").getInteger("appends"));
    assertEquals(4, summary.getJsonObject("concurrent").getInteger("appenders"));
    assertTrue(summary.getJsonObject("verify").getBoolean("ok"));
    assertEquals(80, summary.getJsonObject("verify").getLong("entries"));
  }
}
