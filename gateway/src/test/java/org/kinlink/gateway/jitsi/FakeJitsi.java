package org.kinlink.gateway.jitsi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.kinlink.media.jitsi.JitsiKeys;

/**
 * Loopback fakes of the Jitsi side, speaking the wire formats of docker-jitsi-meet stable-11146-2:
 * prosody's {@code end-meeting} and {@code kick-participant} (tokens checked as prosody checks them:
 * RS256 only, the key fetched from the gateway as {@code <sha256(kid)>.pem}, exp/nbf on its clock),
 * and Jibri's health/startService/stopService. Never a fake of Kinlink.
 */
public final class FakeJitsi implements AutoCloseable {
  final HttpServer server;
  final Vertx vertx;
  final Clock clock;
  final String systemKeyBase;
  final String loginKeyBase;
  final HttpClient http = HttpClient.newHttpClient();
  /** Statuses end-meeting answers in turn once the token is good (200 when empty). */
  public final ConcurrentLinkedQueue<Integer> endAnswers = new ConcurrentLinkedQueue<>();
  public final List<String> ended = new CopyOnWriteArrayList<>();
  public final List<String> kicked = new CopyOnWriteArrayList<>();
  public final List<JsonObject> jibriStarts = new CopyOnWriteArrayList<>();
  public final List<String> jibriCalls = new CopyOnWriteArrayList<>();
  public volatile String jibriBusy = "IDLE";

  public FakeJitsi(Vertx vertx, Clock clock, String systemKeyBase, String loginKeyBase) throws IOException {
    this.vertx = vertx;
    this.clock = clock;
    this.systemKeyBase = systemKeyBase;
    this.loginKeyBase = loginKeyBase;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/end-meeting", this::endMeeting);
    server.createContext("/kick-participant", this::kick);
    server.createContext("/jibri/api/v1.0/", this::jibri);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Prosody's token check: null when good, otherwise why not. */
  public String verify(String token, String keyBase) {
    try {
      String[] parts = token.split("\\.");
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      if (!"RS256".equals(header.getString("alg"))) {
        return "alg " + header.getString("alg");
      }
      String kid = header.getString("kid");
      HttpResponse<String> key = http.send(HttpRequest.newBuilder(URI.create(keyBase + "/" + JitsiKeys.fileNameOf(kid))).build(),
          HttpResponse.BodyHandlers.ofString());
      if (key.statusCode() != 200) {
        return "no key for kid " + kid;
      }
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(key.body()))
          .setJWTOptions(new JWTOptions().setIgnoreExpiration(true)));
      JsonObject claims = auth.authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS).attributes().getJsonObject("accessToken");
      long now = clock.instant().getEpochSecond();
      if (claims.getLong("exp") == null || now >= claims.getLong("exp") || claims.getLong("nbf", 0L) > now) {
        return "expired";
      }
      return null;
    } catch (Exception e) {
      return "bad token: " + e.getMessage();
    }
  }

  private static String bearer(HttpExchange ex) {
    String h = ex.getRequestHeaders().getFirst("Authorization");
    return h == null || !h.startsWith("Bearer ") ? "" : h.substring(7);
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  private void endMeeting(HttpExchange ex) throws IOException {
    String q = ex.getRequestURI().getQuery();
    if (!"POST".equals(ex.getRequestMethod()) || q == null || !q.startsWith("conference=") || !q.contains("@")) {
      answer(ex, 400, "");
      return;
    }
    if (verify(bearer(ex), systemKeyBase) != null) {
      answer(ex, 401, "");
      return;
    }
    Integer status = endAnswers.poll();
    int s = status == null ? 200 : status;
    if (s == 200) {
      ended.add(q.substring("conference=".length()));
    }
    answer(ex, s, "");
  }

  private void kick(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (!"PUT".equals(ex.getRequestMethod()) || !"application/json".equals(type)) {
      answer(ex, 400, ""); // the plugin wants exactly application/json, no charset
      return;
    }
    if (verify(bearer(ex), systemKeyBase) != null) {
      answer(ex, 403, "");
      return;
    }
    kicked.add(new JsonObject(body).getString("participantId"));
    answer(ex, 200, "");
  }

  private void jibri(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath().substring("/jibri/api/v1.0".length());
    jibriCalls.add(path);
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    switch (path) {
      case "/health" -> answer(ex, 200, new JsonObject().put("status", new JsonObject().put("busyStatus", jibriBusy)
          .put("health", new JsonObject().put("healthStatus", "HEALTHY"))).encode());
      case "/startService" -> {
        if (!"IDLE".equals(jibriBusy)) {
          answer(ex, 412, "");
          return;
        }
        jibriStarts.add(new JsonObject(body));
        jibriBusy = "BUSY";
        answer(ex, 200, "");
      }
      case "/stopService" -> {
        jibriBusy = "IDLE";
        answer(ex, 200, "");
      }
      default -> answer(ex, 404, "");
    }
  }

  /** The Jibri session id of the recording of a room, once the gateway started it. */
  public String sessionOf(String room) {
    return jibriStarts.stream().filter(s -> s.getJsonObject("callParams").getJsonObject("callUrlInfo")
        .getString("callName").equals(room)).map(s -> s.getString("sessionId")).findFirst().orElse(null);
  }

  /**
   * prosody's {@code mod_event_sync_component} (shipped in the pinned image's /prosody-plugins, described
   * by jitsi-meet's resources/prosody-plugins event_sync README): {@code POST {api_prefix}/events/occupant/joined}
   * or {@code .../left}, with {@code api_headers}, JSON {event_name, room_name, room_jid, is_breakout,
   * occupant: {occupant_jid, id, name, email, joined_at | left_at}} where id and name come from the
   * token's context.user. Answers the status the gateway gave.
   */
  public int occupant(String apiPrefix, String secret, boolean joined, String room, String userId, String nick) throws Exception {
    String muc = room + "@muc.meet.jitsi";
    long at = clock.instant().getEpochSecond();
    JsonObject occupant = new JsonObject().put("occupant_jid", muc + "/" + nick).put("id", userId).put("name", "someone")
        .put(joined ? "joined_at" : "left_at", at);
    if (!joined) {
      occupant.put("joined_at", at - 1);
    }
    JsonObject body = new JsonObject().put("event_name", joined ? "muc-occupant-joined" : "muc-occupant-left")
        .put("room_name", room).put("room_jid", muc).put("is_breakout", false).put("occupant", occupant);
    return http.send(HttpRequest.newBuilder(URI.create(apiPrefix + "/events/occupant/" + (joined ? "joined" : "left")))
        .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** Jibri's session webhook, posted once and never retried. */
  public int postSession(String webhookBase, String sessionId, String status) throws Exception {
    JsonObject b = new JsonObject().put("jibriId", "jibri-1")
        .put("session", new JsonObject().put("sessionId", sessionId).put("status", status));
    return http.send(HttpRequest.newBuilder(URI.create(webhookBase + "/v1/session/status"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(b.encode())).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
