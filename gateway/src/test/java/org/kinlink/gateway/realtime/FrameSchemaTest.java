package org.kinlink.gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The frame checks a client gets told about, and the schemas the hub refuses to register. */
class FrameSchemaTest {
  private static final JsonObject SEND = new JsonObject().put("type", "object")
      .put("required", new JsonArray().add("type").add("client_id").add("body"))
      .put("properties", new JsonObject()
          .put("type", new JsonObject().put("const", "message.send"))
          .put("ref", new JsonObject().put("type", new JsonArray().add("string").add("integer")))
          .put("client_id", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 10))
          .put("body", new JsonObject().put("type", "string").put("maxLength", 5))
          .put("data", new JsonObject().put("type", "object").put("properties", new JsonObject()
              .put("n", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 3)))))
      .put("additionalProperties", false);

  private final FrameSchema schema = FrameSchema.compile(SEND);

  private static JsonObject frame() {
    return new JsonObject().put("type", "message.send").put("client_id", "c1").put("body", "hello");
  }

  private FrameSchema.Violation wrong(JsonObject frame) {
    return schema.check(frame).orElseThrow(() -> new AssertionError("passed: " + frame.encode()));
  }

  @Test
  void aGoodFramePasses() {
    assertTrue(schema.check(frame()).isEmpty());
    assertTrue(schema.check(frame().put("ref", 7).put("data", new JsonObject().put("n", 2.0))).isEmpty(), "2.0 is a whole number");
    assertTrue(schema.check(frame().put("body", "🙂🙂🙂🙂🙂")).isEmpty(), "five characters, though ten UTF-16 units");
  }

  @Test
  void eachMistakeNamesItsField() {
    assertEquals(new FrameSchema.Violation("required", "client_id"), wrong(new JsonObject().put("type", "message.send").put("body", "b")));
    assertEquals("additionalProperties", wrong(frame().put("extra", true)).keyword());
    assertEquals("extra", wrong(frame().put("extra", true)).field());
    FrameSchema.Violation tooLong = wrong(frame().put("body", "123456"));
    assertEquals("body", tooLong.field());
    assertEquals("it must be at most 5 characters", tooLong.expected());
    assertEquals("it must be at least 1 character", wrong(frame().put("client_id", "")).expected());
    assertEquals("it must be a string or a whole number", wrong(frame().put("ref", true)).expected());
    assertEquals("const", wrong(frame().put("type", "message.read")).keyword());
    FrameSchema.Violation nested = wrong(frame().put("data", new JsonObject().put("n", 4)));
    assertEquals("data.n", nested.field());
    assertEquals("it must be at most 3", nested.expected());
    assertEquals("type", wrong(frame().put("data", new JsonObject().put("n", 1.5))).keyword());
    assertEquals("type", wrong(frame().putNull("body")).keyword(), "null is not a string");
  }

  @Test
  void aSchemaUsingAKeywordFramesCannotCheckIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameSchema.compile(new JsonObject()
        .put("type", "object").put("properties", new JsonObject().put("body", new JsonObject().put("pattern", "^a")))));
    assertTrue(e.getMessage().contains("\"pattern\"") && e.getMessage().contains(".body"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FrameSchema.compile(new JsonObject().put("type", "text")));
  }
}
