package org.kinlink.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain hashes the canonical text, and verification recomputes it from the stored entry: it must be a fixed point. */
class CanonicalJsonTest {

  @Test
  void theCanonicalTextIsSortedAndReadsBackToItself() {
    JsonObject plain = new JsonObject().put("z", "last").put("a", 1).put("m", new JsonObject().put("y", true).put("b", 2.5))
        .put("list", new JsonArray().add("x").add(new JsonObject().put("k", 9_000_000_000L).put("c", "\u00e9\"\\")))
        .put("gone", (Object) null);
    String text = CanonicalJson.encode(plain);
    assertEquals("{\"a\":1,\"list\":[\"x\",{\"c\":\"\u00e9\\\"\\\\\",\"k\":9000000000}],\"m\":{\"b\":2.5,\"y\":true},\"z\":\"last\"}", text);
    assertEquals(text, CanonicalJson.encode(new JsonObject(text)));
  }

  @Test
  void aStoredEntryRecomputesToItsHash() {
    for (Object odd : new Object[] {"plain", 0.1f, java.time.Instant.parse("2026-01-02T03:04:05Z")}) {
      AuditEvent event = AuditEvent.of("message.send").actor("pr-1", "PRISONER").outcome("DELIVERED")
          .detail("rules", new JsonArray().add("b").add("a")).detail("odd", odd).build();
      AuditEntry entry = AuditCodec.link(7, java.time.Instant.now(), event, ChainHash.GENESIS);
      String stored = AuditCodec.encode(entry);
      assertEquals(CanonicalJson.encode(AuditCodec.toJson(entry)), stored);
      assertEquals(entry.hash(), ChainHash.of(ChainHash.GENESIS,
          CanonicalJson.bytes(AuditCodec.canonicalOf(new JsonObject(stored)))));
    }
  }

  @Test
  void valuesThatReadBackAsAnotherTypeAreEncodedAsTheyReadBack() {
    JsonObject odd = new JsonObject().put("f", 0.1f).put("map", Map.of("b", 1, "a", List.of(2, 1)))
        .put("bytes", new byte[] {1, 2, 3});
    String text = CanonicalJson.encode(odd);
    assertEquals(text, CanonicalJson.encode(new JsonObject(text)));
    assertEquals(CanonicalJson.encode(new JsonObject(text)), text);
  }
}
