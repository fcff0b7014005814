package org.kinlink.gateway.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deterministic JSON encoding the audit chain hashes and the checkpoints sign: object keys
 * sorted by their UTF-16 code units (recursively, arrays keep their order), no insignificant
 * whitespace, null members left out, strings as Jackson escapes them, UTF-8 bytes.
 *
 * <p>Because the encoding is computed again from the stored entry when the chain is verified,
 * {@link #encode} is a fixed point: it re-parses its own output once so that what was hashed is
 * exactly what any later decode-and-encode produces (e.g. a {@code float} detail becomes the
 * {@code double} it reads back as).
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** The canonical text of {@code value}. */
  public static String encode(JsonObject value) {
    String once = sorted(value).encode();
    if (exact(value)) {
      // strings, booleans, whole numbers and finite doubles read back as they were written: the
      // first encoding is already the fixed point, and re-parsing it would only cost time
      return once;
    }
    return sorted(new JsonObject(once)).encode();
  }

  /** True when every value inside is one that decodes back to what encodes to the same text. */
  static boolean exact(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long) {
      return true;
    }
    if (value instanceof Double d) {
      return Double.isFinite(d);
    }
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        if (!exact(e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof JsonArray a) {
      for (Object item : a) {
        if (!exact(item)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** The canonical UTF-8 bytes of {@code value}. */
  public static byte[] bytes(JsonObject value) {
    return encode(value).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject sorted(JsonObject object) {
    Map<String, Object> map = new TreeMap<>();
    for (Map.Entry<String, Object> e : object) {
      if (e.getValue() != null) {
        map.put(e.getKey(), sortedValue(e.getValue()));
      }
    }
    return new JsonObject(new java.util.LinkedHashMap<>(map));
  }

  private static Object sortedValue(Object value) {
    if (value instanceof JsonObject o) {
      return sorted(o);
    }
    if (value instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) m;
      return sorted(new JsonObject(typed));
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (Object item : a) {
        out.add(item == null ? null : sortedValue(item));
      }
      return out;
    }
    if (value instanceof java.util.List<?> l) {
      return sortedValue(new JsonArray(new java.util.ArrayList<>(l)));
    }
    return value;
  }
}
