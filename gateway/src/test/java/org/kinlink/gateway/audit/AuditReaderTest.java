package org.kinlink.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestClock;

/** Reading entries back: establishment scope, filters, time ranges and paging. */
class AuditReaderTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Redis redis;

  @BeforeAll
  static void connect() {
    redis = kinlink.redis();
  }

  static List<Long> seqs(AuditReader.Page page) {
    return page.entries().stream().map(e -> e.getLong("seq")).toList();
  }

  @Test
  void staffSeeTheirEstablishmentAndInterEstablishmentEntriesOnly() {
    String ns = "kl:{audit-" + UUID.randomUUID() + "}";
    RedisAuditLog log = new RedisAuditLog(redis, ns, kinlink.clock());
    Gateway.await(log.append(AuditEvent.of("a").establishment("styal").build()));
    Gateway.await(log.append(AuditEvent.of("b").establishment("askham").build()));
    Gateway.await(log.append(AuditEvent.of("call.start").establishment("askham")
        .detail("establishments", new JsonArray().add("askham").add("styal")).build()));
    Gateway.await(log.append(AuditEvent.of("c").build()));
    AuditReader reader = log.reader();
    AuditFilter styal = new AuditFilter("styal", null, null, null, null, null);
    AuditReader.SeqRange all = Gateway.await(reader.range(styal, Long.MAX_VALUE));
    assertEquals(List.of(1L, 3L), seqs(Gateway.await(reader.page(styal, all, 0, 100))));
    AuditFilter askham = new AuditFilter("askham", null, null, null, null, null);
    assertEquals(List.of(2L, 3L), seqs(Gateway.await(reader.page(askham, all, 0, 100))));
    AuditFilter everyone = new AuditFilter(null, null, null, null, null, null);
    assertEquals(List.of(1L, 2L, 3L, 4L), seqs(Gateway.await(reader.page(everyone, all, 0, 100))));
  }

  @Test
  void filtersByTimePrisonerContactAndActionAndPagesWithACursor() {
    String ns = "kl:{audit-" + UUID.randomUUID() + "}";
    TestClock clock = TestClock.frozen(Instant.parse("2025-03-01T09:00:00Z"));
    RedisAuditLog log = new RedisAuditLog(redis, ns, clock);
    for (int hour = 0; hour < 6; hour++) {
      clock.set(Instant.parse("2025-03-01T09:00:00Z").plus(Duration.ofHours(hour)));
      Gateway.await(log.append(AuditEvent.of(hour % 2 == 0 ? "auth.login" : "contact.suspend").establishment("styal")
          .prisoner(hour < 3 ? "A1" : "A2").contact("C" + (hour % 3)).build()));
    }
    AuditReader reader = log.reader();
    AuditFilter window = new AuditFilter("styal", Instant.parse("2025-03-01T10:00:00Z"),
        Instant.parse("2025-03-01T13:00:00Z"), null, null, null);
    AuditReader.SeqRange range = Gateway.await(reader.range(window, Long.MAX_VALUE));
    assertEquals(List.of(2L, 3L, 4L), seqs(Gateway.await(reader.page(window, range, 0, 100))), "from inclusive, to exclusive");

    AuditFilter a2 = new AuditFilter("styal", null, null, "A2", null, null);
    AuditReader.SeqRange everything = Gateway.await(reader.range(a2, Long.MAX_VALUE));
    assertEquals(List.of(4L, 5L, 6L), seqs(Gateway.await(reader.page(a2, everything, 0, 100))));
    AuditFilter c1 = new AuditFilter("styal", null, null, null, "C1", null);
    assertEquals(List.of(2L, 5L), seqs(Gateway.await(reader.page(c1, everything, 0, 100))));
    AuditFilter logins = new AuditFilter("styal", null, null, "A1", null, "auth.login");
    assertEquals(List.of(1L, 3L), seqs(Gateway.await(reader.page(logins, everything, 0, 100))));

    AuditFilter styal = new AuditFilter("styal", null, null, null, null, null);
    AuditReader.Page first = Gateway.await(reader.page(styal, everything, 0, 4));
    assertEquals(List.of(1L, 2L, 3L, 4L), seqs(first));
    AuditReader.Page second = Gateway.await(reader.page(styal, everything, Long.parseLong(first.nextCursor()), 4));
    assertEquals(List.of(5L, 6L), seqs(second));
    assertNull(second.nextCursor());

    AuditFilter later = new AuditFilter("styal", Instant.parse("2025-03-02T00:00:00Z"), null, null, null, null);
    AuditReader.SeqRange none = Gateway.await(reader.range(later, Long.MAX_VALUE));
    assertEquals(List.of(), seqs(Gateway.await(reader.page(later, none, 0, 100))));
  }

  @Test
  void csvQuotesAndDefusesFormulas() {
    assertEquals("'=HYPERLINK(\"\"x\"\")", AuditFormat.cell("=HYPERLINK(\"x\")").replace("\"'", "'").replaceFirst("^\"", "").replaceFirst("\"$", ""));
    assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", AuditFormat.cell("=HYPERLINK(\"x\")"));
    assertEquals("'+1", AuditFormat.cell("+1"));
    assertEquals("'-2", AuditFormat.cell("-2"));
    assertEquals("'@SUM(A1)", AuditFormat.cell("@SUM(A1)"));
    assertEquals("\"a,b\"", AuditFormat.cell("a,b"));
    assertEquals("\"line\nbreak\"", AuditFormat.cell("line\nbreak"));
    assertEquals("plain", AuditFormat.cell("plain"));
    JsonObject stored = new JsonObject().put("seq", 7).put("action", "x").put("actor_id", "=cmd|' /C calc'!A0")
        .put("details", new JsonObject().put("b", 1).put("a", "q\"uote"));
    String line = AuditFormat.CSV.line(stored);
    assertEquals("7,,x,,'=cmd|' /C calc'!A0,,,,,\"{\"\"a\"\":\"\"q\\\"\"uote\"\",\"\"b\"\":1}\",,\r\n", line);
  }
}
