package org.kinlink.gateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Function;

/**
 * Reads an OpenAPI document (the merged one the gateway serves): resolves local {@code $ref}s and
 * makes, for a schema, a value it would accept as far as one can tell without solving patterns.
 * The fuzzer breaks these values; the authorization-matrix test sends them as they are.
 */
public final class ContractSamples {
  private final JsonObject doc;
  private final Function<String, Object> byFieldName;

  /** {@code byFieldName}: a value for a member of that name, or null to sample it from its schema. */
  public ContractSamples(JsonObject doc, Function<String, Object> byFieldName) {
    this.doc = doc;
    this.byFieldName = byFieldName;
  }

  /** Follows {@code $ref}s within the document; an empty schema where one leads nowhere. */
  public JsonObject resolve(JsonObject node) {
    JsonObject current = node;
    for (int hops = 0; hops < 10 && current.getString("$ref") != null; hops++) {
      String ref = current.getString("$ref");
      if (!ref.startsWith("#/")) {
        return new JsonObject();
      }
      JsonObject target = doc;
      for (String part : ref.substring(2).split("/")) {
        target = target == null ? null : target.getJsonObject(part.replace("~1", "/").replace("~0", "~"));
      }
      current = target == null ? new JsonObject() : target;
    }
    return current;
  }

  /** The operation's JSON request body schema, or null when it takes none. */
  public JsonObject bodySchema(JsonObject operation) {
    JsonObject body = operation.getJsonObject("requestBody");
    if (body == null) {
      return null;
    }
    JsonObject json = resolve(body).getJsonObject("content", new JsonObject()).getJsonObject("application/json");
    return json == null ? null : resolve(json.getJsonObject("schema", new JsonObject()));
  }

  public Object sample(JsonObject schema) {
    return sample(schema, 0);
  }

  private Object sample(JsonObject schema, int depth) {
    schema = resolve(schema);
    if (schema.containsKey("const")) {
      return schema.getValue("const");
    }
    if (schema.getJsonArray("enum") != null && !schema.getJsonArray("enum").isEmpty()) {
      return schema.getJsonArray("enum").getValue(0);
    }
    for (String any : new String[] {"oneOf", "anyOf", "allOf"}) {
      if (schema.getJsonArray(any) != null && !schema.getJsonArray(any).isEmpty()) {
        return sample(schema.getJsonArray(any).getJsonObject(0), depth + 1);
      }
    }
    Object type = schema.getValue("type");
    if (type instanceof JsonArray types) {
      type = types.isEmpty() ? "string" : types.getString(0);
    }
    if (depth > 6) {
      return "x";
    }
    switch (String.valueOf(type)) {
      case "object": {
        JsonObject o = new JsonObject();
        JsonObject props = schema.getJsonObject("properties", new JsonObject());
        for (String name : props.fieldNames()) {
          Object given = byFieldName.apply(name);
          o.put(name, given != null ? given : sample(props.getJsonObject(name), depth + 1));
        }
        return o;
      }
      case "array": {
        JsonObject items = schema.getJsonObject("items");
        return new JsonArray().add(items == null ? "x" : sample(items, depth + 1));
      }
      case "integer":
        return schema.getInteger("minimum", 1);
      case "number":
        return schema.getNumber("minimum", 1.5);
      case "boolean":
        return true;
      default: {
        String format = schema.getString("format", "");
        return switch (format) {
          case "date-time" -> Instant.now().plusSeconds(3600).toString();
          case "date" -> "2026-01-31";
          case "email" -> "someone-" + Long.toHexString(System.nanoTime()) + "@example.test";
          default -> "x".repeat(Math.max(1, Math.min(8, schema.getInteger("minLength", 1))));
        };
      }
    }
  }
}
