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
  void valuesThatReadBackAsAnotherTypeAreEncodedAsTheyReadBack() {
    JsonObject odd = new JsonObject().put("f", 0.1f).put("map", Map.of("b", 1, "a", List.of(2, 1)))
        .put("bytes", new byte[] {1, 2, 3});
    String text = CanonicalJson.encode(odd);
    assertEquals(text, CanonicalJson.encode(new JsonObject(text)));
    assertEquals(CanonicalJson.encode(new JsonObject(text)), text);
  }
}
