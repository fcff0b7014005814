package org.kinlink.gateway.realtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A frame's JSON Schema (2020-12) compiled once into plain checks. Every client frame is checked
 * before its handler runs, thousands a second per node, and a general validator walking the schema
 * document for each frame cost more than the rest of a message's handling on the socket. Frames
 * need only a small part of the vocabulary, so this knows exactly that part and refuses, when a
 * frame type is registered, a schema that uses anything else: a keyword it would not check can
 * never be silently skipped.
 */
final class FrameSchema {
  /** The keywords a frame schema may use. */
  static final Set<String> KEYWORDS = Set.of("type", "const", "enum", "required", "properties", "additionalProperties",
      "minLength", "maxLength", "minimum", "maximum");

  /**
   * What a frame got wrong: the keyword that failed, the field it is about ("a.b" when nested, ""
   * for the frame) and what the field must be, in words ("" when the keyword says it all).
   */
  record Violation(String keyword, String field, String expected) {
    Violation(String keyword, String field) {
      this(keyword, field, "");
    }
  }

  private final List<String> types;
  private final Object constant;
  private final JsonArray allowed;
  private final List<String> required;
  private final Map<String, FrameSchema> properties;
  private final boolean closed;
  private final Integer minLength;
  private final Integer maxLength;
  private final Double minimum;
  private final Double maximum;

  private FrameSchema(JsonObject schema, String where) {
    for (String keyword : schema.fieldNames()) {
      if (!KEYWORDS.contains(keyword)) {
        throw new IllegalArgumentException("frame schema" + where + " uses \"" + keyword
            + "\", which frames cannot use (they may use " + new java.util.TreeSet<>(KEYWORDS) + ")");
      }
    }
    Object type = schema.getValue("type");
    types = type == null ? List.of() : type instanceof JsonArray a ? a.stream().map(String::valueOf).toList()
        : List.of(String.valueOf(type));
    types.forEach(t -> isType(null, t)); // an unknown type name fails here, at registration
    constant = schema.getValue("const");
    allowed = schema.getJsonArray("enum");
    required = schema.getJsonArray("required", new JsonArray()).stream().map(String::valueOf).toList();
    properties = new LinkedHashMap<>();
    JsonObject props = schema.getJsonObject("properties", new JsonObject());
    for (String name : props.fieldNames()) {
      properties.put(name, new FrameSchema(props.getJsonObject(name), where + "." + name));
    }
    Object additional = schema.getValue("additionalProperties");
    if (additional != null && !(additional instanceof Boolean)) {
      throw new IllegalArgumentException("frame schema" + where + ": additionalProperties must be true or false");
    }
    closed = Boolean.FALSE.equals(additional);
    minLength = schema.getInteger("minLength");
    maxLength = schema.getInteger("maxLength");
    minimum = schema.getDouble("minimum");
    maximum = schema.getDouble("maximum");
  }

  /** Compiles {@code schema}; throws when it uses a keyword outside {@link #KEYWORDS}. */
  static FrameSchema compile(JsonObject schema) {
    return new FrameSchema(schema, "");
  }

  /** The first thing {@code frame} gets wrong, or empty when it passes. */
  Optional<Violation> check(Object frame) {
    return Optional.ofNullable(check(frame, ""));
  }

  private Violation check(Object value, String field) {
    if (!types.isEmpty() && types.stream().noneMatch(t -> isType(value, t))) {
      return new Violation("type", field, "it must be " + String.join(" or ", types.stream().map(FrameSchema::article).toList()));
    }
    if (constant != null && !constant.equals(value)) {
      return new Violation("const", field, "it must be " + constant);
    }
    if (allowed != null && !allowed.contains(value)) {
      return new Violation("enum", field, "it must be one of " + allowed.encode());
    }
    if (value instanceof String s && (minLength != null || maxLength != null)) {
      int length = s.codePointCount(0, s.length()); // the schema counts characters, not UTF-16 units
      if (minLength != null && length < minLength) {
        return new Violation("minLength", field, "it must be at least " + minLength + (minLength == 1 ? " character" : " characters"));
      }
      if (maxLength != null && length > maxLength) {
        return new Violation("maxLength", field, "it must be at most " + maxLength + " characters");
      }
    }
    if (value instanceof Number n) {
      if (minimum != null && n.doubleValue() < minimum) {
        return new Violation("minimum", field, "it must be at least " + number(minimum));
      }
      if (maximum != null && n.doubleValue() > maximum) {
        return new Violation("maximum", field, "it must be at most " + number(maximum));
      }
    }
    if (value instanceof JsonObject object) {
      for (String name : required) {
        if (!object.containsKey(name)) {
          return new Violation("required", join(field, name));
        }
      }
      for (Map.Entry<String, Object> e : object) {
        FrameSchema property = properties.get(e.getKey());
        if (property == null) {
          if (closed) {
            return new Violation("additionalProperties", join(field, e.getKey()));
          }
          continue;
        }
        Violation inner = property.check(e.getValue(), join(field, e.getKey()));
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  private static String article(String type) {
    return switch (type) {
      case "object" -> "an object";
      case "array" -> "a list";
      case "integer" -> "a whole number";
      case "null" -> "null";
      default -> "a " + type;
    };
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String join(String field, String name) {
    return field.isEmpty() ? name : field + "." + name;
  }

  private static boolean isType(Object value, String type) {
    return switch (type) {
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "number" -> value instanceof Number;
      // JSON has one number type: 2.0 is an integer too
      case "integer" -> value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
          || value instanceof java.math.BigInteger
          || (value instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue()));
      default -> throw new IllegalArgumentException("frame schema type \"" + type + "\" is not a JSON type");
    };
  }
}
