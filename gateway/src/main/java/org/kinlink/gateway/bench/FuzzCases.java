package org.kinlink.gateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Malformed requests made from the gateway's own OpenAPI document: for every operation, its
 * valid-looking request and then that request broken one way at a time (wrong types, missing and
 * unknown fields, huge and deep bodies, bad query and path parameters, bad encodings, methods the
 * path does not have, garbage tokens, truncated bodies), plus broken HTTP itself and broken
 * WebSocket frames.
 */
final class FuzzCases {
  /** One request to send: what kind of breakage, the operation it targets, its bytes. */
  record Case(String kind, String operation, byte[] request, byte[] wsFrames) {
    boolean websocket() {
      return wsFrames != null;
    }
  }

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final List<String> OTHER_METHODS = List.of("PUT", "PATCH", "DELETE", "POST", "GET", "TRACE", "OPTIONS", "FOO", "CONNECT");

  private final JsonObject doc;
  private final String host;
  private final List<String> tokens;
  private final Random random;
  private final ContractSamples samples;

  FuzzCases(JsonObject doc, String host, List<String> tokens, long seed) {
    this.doc = doc;
    this.samples = new ContractSamples(doc, name -> null);
    this.host = host;
    this.tokens = tokens;
    this.random = new Random(seed);
  }

  /** Every case, in a seeded order. */
  List<Case> all(boolean websocket) {
    List<Case> out = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      if (!(paths.getValue(path) instanceof JsonObject item)) {
        continue; // an extension member, not a path item
      }
      for (String method : item.fieldNames()) {
        if (METHODS.contains(method) && item.getValue(method) instanceof JsonObject) {
          operation(out, path, method.toUpperCase(), item.getJsonObject(method), item);
        }
      }
    }
    http(out);
    if (websocket) {
      frames(out);
    }
    java.util.Collections.shuffle(out, random);
    return out;
  }

  private void operation(List<Case> out, String path, String method, JsonObject op, JsonObject item) {
    String id = op.getString("operationId", method + " " + path);
    List<JsonObject> params = new ArrayList<>();
    for (JsonArray list : new JsonArray[] {item.getJsonArray("parameters"), op.getJsonArray("parameters")}) {
      if (list != null) {
        list.forEach(p -> params.add(samples.resolve((JsonObject) p)));
      }
    }
    Map<String, String> pathValues = new LinkedHashMap<>();
    StringBuilder query = new StringBuilder();
    for (JsonObject p : params) {
      String value = String.valueOf(samples.sample(samples.resolve(p.getJsonObject("schema", new JsonObject()))));
      if ("path".equals(p.getString("in"))) {
        pathValues.put(p.getString("name"), value);
      } else if ("query".equals(p.getString("in")) && p.getBoolean("required", false)) {
        query.append(query.isEmpty() ? "?" : "&").append(p.getString("name")).append('=').append(value);
      }
    }
    String target = fill(path, pathValues, null) + query;
    JsonObject bodySchema = samples.bodySchema(op);
    Object body = bodySchema == null ? null : samples.sample(bodySchema);
    byte[] valid = body == null ? null : encode(body);

    add(out, "valid", id, method, target, valid, true);
    if (body instanceof JsonObject object) {
      for (String field : object.fieldNames()) {
        JsonObject wrong = object.copy();
        wrong.put(field, wrongType(object.getValue(field)));
        add(out, "wrong-type", id, method, target, encode(wrong), true);
        JsonObject missing = object.copy();
        missing.remove(field);
        add(out, "missing-field", id, method, target, encode(missing), true);
      }
      add(out, "missing-field", id, method, target, "{}".getBytes(StandardCharsets.UTF_8), true);
      add(out, "unknown-field", id, method, target, encode(object.copy().put("zz_unknown", true)), true);
      add(out, "unknown-field", id, method, target, encode(object.copy().put("__proto__", new JsonObject().put("admin", true))), true);
    }
    if (bodySchema != null || "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method)) {
      add(out, "huge-body", id, method, target, manyFields(40_000), false);
      add(out, "huge-body", id, method, target, ("{\"a\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}").getBytes(StandardCharsets.UTF_8), false);
      add(out, "huge-body", id, method, target, ("{\"a\":\"" + "x".repeat(600_000) + "\"}").getBytes(StandardCharsets.UTF_8), false);
      add(out, "huge-body", id, method, target, ("[" + "0,".repeat(100_000) + "0]").getBytes(StandardCharsets.UTF_8), false);
      add(out, "huge-body", id, method, target, ("\"" + "x".repeat(2 * 1024 * 1024) + "\"").getBytes(StandardCharsets.UTF_8), false);
      add(out, "truncated-body", id, method, target, valid == null ? "{\"a\":".getBytes(StandardCharsets.UTF_8)
          : java.util.Arrays.copyOf(valid, valid.length / 2), true);
      add(out, "truncated-body", id, method, target, "{\"a\":1,".getBytes(StandardCharsets.UTF_8), true);
      byte[] json = valid == null ? "{}".getBytes(StandardCharsets.UTF_8) : valid;
      out.add(new Case("bad-encoding", id, raw(method, target, Map.of("Content-Type", "application/json"),
          concat(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28}, json), token(true)), null));
      out.add(new Case("bad-encoding", id, raw(method, target, Map.of("Content-Type", "text/plain"), json, token(true)), null));
      out.add(new Case("bad-encoding", id, raw(method, target, Map.of("Content-Type", "application/json",
          "Content-Encoding", "gzip"), json, token(true)), null));
      out.add(new Case("bad-encoding", id, raw(method, target, Map.of("Content-Type", "application/x-www-form-urlencoded"),
          "a=1&b=%zz".getBytes(StandardCharsets.UTF_8), token(true)), null));
      out.add(new Case("bad-encoding", id, raw(method, target, Map.of("Content-Type", "application/json; charset=utf-16"),
          "{\"a\":1}".getBytes(StandardCharsets.UTF_16), token(true)), null));
    }
    for (JsonObject p : params) {
      String name = p.getString("name");
      for (String bad : badValues()) {
        if ("query".equals(p.getString("in"))) {
          String sep = query.isEmpty() ? "?" : query + "&";
          add(out, "bad-query", id, method, fill(path, pathValues, null) + sep + name + "=" + bad, valid, true);
        } else if ("path".equals(p.getString("in"))) {
          add(out, "bad-path-param", id, method, fill(path, pathValues, Map.entry(name, bad)) + query, valid, true);
        }
      }
    }
    add(out, "bad-query", id, method, target + (query.isEmpty() ? "?" : "&") + "%zz=1", valid, true);
    add(out, "bad-query", id, method, target + (query.isEmpty() ? "?" : "&") + "a=%", valid, true);
    for (String other : OTHER_METHODS) {
      if (!item.containsKey(other.toLowerCase())) {
        add(out, "bad-method", id, other, target, valid, true);
      }
    }
    for (String garbage : garbageTokens()) {
      out.add(new Case("garbage-token", id, raw(method, target, valid == null ? Map.of() : Map.of("Content-Type", "application/json"),
          valid, garbage), null));
    }
  }

  /** Broken HTTP: what no operation's schema covers. */
  private void http(List<Case> out) {
    String h = "Host: " + host + "\r\nConnection: close\r\n";
    List<String> requests = List.of(
        "GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n",
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "get /health/live HTTP/1.1\r\n" + h + "\r\n",
        "GET /health/live HTTP/9.9\r\n" + h + "\r\n",
        "GET /health/live\r\n\r\n",
        "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n" + h + "\r\n",
        "GET /health/live HTTP/1.1\r\n" + h + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n",
        "GET /health/live HTTP/1.1\r\n" + h + "Bad Header: x\r\n\r\n",
        "GET /health/live HTTP/1.1\r\n" + h + "X-Nul: a\u0000b\r\n\r\n",
        "POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 7\r\n\r\n{}{}{}{",
        "POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        "POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Content-Length: -1\r\n\r\n",
        "POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Content-Length: 99999999999999999999\r\n\r\n",
        "GET http://evil.example/health/live HTTP/1.1\r\n" + h + "\r\n",
        "GET /health/live HTTP/1.1\r\nHost: [::bad\r\nConnection: close\r\n\r\n",
        "GET /%zz HTTP/1.1\r\n" + h + "\r\n",
        "GET /../../../etc/passwd HTTP/1.1\r\n" + h + "\r\n",
        "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + h + "\r\n",
        "GET /api/v1/%00 HTTP/1.1\r\n" + h + "\r\n",
        "GET /health/live?" + "a=1&".repeat(3000) + " HTTP/1.1\r\n" + h + "\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Expect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        "POST /api/v1/auth/kiosk HTTP/1.1\r\n" + h + "Expect: teapot\r\nContent-Length: 2\r\n\r\n{}",
        "GET /health/live HTTP/1.1\r\n" + h + "Accept-Encoding: " + "gzip,".repeat(1000) + "\r\n\r\n",
        "GET /ws HTTP/1.1\r\n" + h + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
        "GET /ws HTTP/1.1\r\n" + h + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 99\r\n\r\n");
    for (String r : requests) {
      out.add(new Case("bad-headers", "-", r.getBytes(StandardCharsets.ISO_8859_1), null));
    }
  }

  /** Broken WebSocket frames after a good handshake. */
  private void frames(List<Case> out) {
    String token = tokens.isEmpty() ? "" : "?access_token=" + tokens.get(0);
    byte[] handshake = ("GET /ws" + token + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> frames = List.of(
        frame(0x81, false, "{\"type\":\"hello\"}".getBytes(StandardCharsets.UTF_8)),       // not masked
        frame(0x83, true, "x".getBytes(StandardCharsets.UTF_8)),                          // reserved opcode
        frame(0xF1, true, "x".getBytes(StandardCharsets.UTF_8)),                          // reserved bits set
        frame(0x81, true, new byte[] {(byte) 0xc3, 0x28, (byte) 0xff}),                    // text that is not UTF-8
        frame(0x09, true, "ping".getBytes(StandardCharsets.UTF_8)),                       // fragmented control frame
        frame(0x89, true, new byte[200]),                                                 // control frame over 125 bytes
        frame(0x88, true, new byte[] {0x03, (byte) 0xe7}),                                // close with code 999
        new byte[] {(byte) 0x82, (byte) 0xff, 0x7f, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, 4}, // length 2^63-1
        frame(0x82, true, new byte[2 * 1024 * 1024]),                                     // 2 MiB binary
        frame(0x81, true, "not json".getBytes(StandardCharsets.UTF_8)),
        frame(0x81, true, ("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8)),
        frame(0x81, true, manyFields(20_000)),
        frame(0x01, true, "{\"ty".getBytes(StandardCharsets.UTF_8)),                       // a fragment, then nothing
        frame(0x80, true, "x".getBytes(StandardCharsets.UTF_8)));                         // continuation with nothing to continue
    for (byte[] f : frames) {
      out.add(new Case("ws-frame", "/ws", handshake, f));
    }
  }

  private static byte[] frame(int first, boolean masked, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(first);
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(mask | payload.length);
    } else if (payload.length < 65_536) {
      out.write(mask | 126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(mask | 127);
      for (int i = 7; i >= 0; i--) {
        out.write((int) ((long) payload.length >> (8 * i)));
      }
    }
    byte[] key = {0x11, 0x22, 0x33, 0x44};
    if (masked) {
      out.write(key, 0, 4);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
    }
    return out.toByteArray();
  }

  private void add(List<Case> out, String kind, String id, String method, String target, byte[] body, boolean maybeToken) {
    Map<String, String> headers = body == null ? Map.of() : Map.of("Content-Type", "application/json");
    out.add(new Case(kind, id, raw(method, target, headers, body, token(maybeToken)), null));
  }

  /** Half the cases carry a real token, so they get past sign-in to the handlers. */
  private String token(boolean maybe) {
    if (!maybe || tokens.isEmpty() || random.nextBoolean()) {
      return null;
    }
    return "Bearer " + tokens.get(random.nextInt(tokens.size()));
  }

  private byte[] raw(String method, String target, Map<String, String> headers, byte[] body, String authorization) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(host)
        .append("\r\nConnection: close\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    if (authorization != null) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    return body == null ? h : concat(h, body);
  }

  private List<String> garbageTokens() {
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"sub\":\"st-x\",\"role\":\"ADMIN\",\"exp\":"
        + (Instant.now().getEpochSecond() + 600) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
    List<String> out = new ArrayList<>(List.of("Bearer", "Bearer ", "Bearer x.y.z", "Bearer " + none, "Basic Zm9vOmJhcg==",
        "Bearer " + "A".repeat(6000), "bearer\t%zz", "Bearer ....", "Bearer eyJ.eyJ.sig"));
    if (!tokens.isEmpty()) {
      String t = tokens.get(0);
      char last = t.charAt(t.length() - 2);
      out.add("Bearer " + t.substring(0, t.length() - 2) + (last == 'A' ? 'B' : 'A') + t.charAt(t.length() - 1));
      out.add("Bearer " + t + t);
    }
    return out;
  }

  private static List<String> badValues() {
    return List.of("1.0", "1e2", "abc", "-1", "0", "99999999999999999999", "%zz", "", "%00", "x".repeat(5000),
        "-999999999-01-01", "%2B999999999-12-31T00:00:00Z", "PT9999999999999H", "%2e%2e%2f%2e%2e", "%E2%80%AE", "[]", "{}",
        "null", "true", "%0d%0aX-Injected:%201");
  }

  private static String fill(String path, Map<String, String> values, Map.Entry<String, String> override) {
    String out = path;
    for (var e : values.entrySet()) {
      String v = override != null && override.getKey().equals(e.getKey()) ? override.getValue() : e.getValue();
      out = out.replace("{" + e.getKey() + "}", v);
    }
    return out.replaceAll("\\{[^}]+}", "x");
  }

  private Object wrongType(Object value) {
    return switch (random.nextInt(4)) {
      case 0 -> value instanceof String ? (Object) 12345 : "a string";
      case 1 -> new JsonObject().put("nested", new JsonArray().add(1));
      case 2 -> new JsonArray().add("x").add(2);
      default -> value instanceof Boolean ? "true" : false;
    };
  }

  private static byte[] manyFields(int n) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
    }
    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] encode(Object value) {
    return (value instanceof JsonObject o ? o.encode() : value instanceof JsonArray a ? a.encode()
        : io.vertx.core.json.Json.encode(value)).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
