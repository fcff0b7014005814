package org.kinlink.gateway.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for the Jitsi side of {@code kinlink bench calls}, speaking the wire formats of
 * docker-jitsi-meet stable-11146-2 that the gateway calls: prosody's {@code POST /end-meeting?conference=
 * <room>@<muc>} with a bearer token, {@code PUT /kick-participant}, and Jibri's health (always IDLE, so
 * recorded calls may open). It notes when each end-meeting request arrives; it does not check tokens
 * (the Jitsi tests do), because the bench times the gateway, not the fake.
 */
final class CallsBenchProsody implements AutoCloseable {
  private final HttpServer server;
  /** Room name (the call id, lower case) to {@link System#nanoTime()} of its first end-meeting request. */
  final Map<String, Long> endedAt = new ConcurrentHashMap<>();

  CallsBenchProsody() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-prosody");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/end-meeting", this::endMeeting);
    server.createContext("/kick-participant", ex -> answer(ex, 200, ""));
    server.createContext("/jibri/api/v1.0/health", ex -> answer(ex, 200,
        "{\"status\":{\"busyStatus\":\"IDLE\",\"health\":{\"healthStatus\":\"HEALTHY\"}}}"));
    server.createContext("/jibri/api/v1.0/", ex -> answer(ex, 200, ""));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void endMeeting(HttpExchange ex) throws IOException {
    long at = System.nanoTime();
    String q = ex.getRequestURI().getRawQuery();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (!"POST".equals(ex.getRequestMethod()) || q == null || !q.startsWith("conference=") || auth == null
        || !auth.startsWith("Bearer ")) {
      answer(ex, 400, "");
      return;
    }
    String conference = URLDecoder.decode(q.substring("conference=".length()), StandardCharsets.UTF_8);
    int cut = conference.indexOf('@');
    endedAt.putIfAbsent(cut < 0 ? conference : conference.substring(0, cut), at);
    answer(ex, 200, "");
  }

  private static void answer(HttpExchange ex, int status, String json) throws IOException {
    ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (json.isEmpty()) {
      ex.sendResponseHeaders(status, -1);
    } else {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length);
      try (var body = ex.getResponseBody()) {
        body.write(bytes);
      }
    }
    ex.close();
  }

  /** The media file that puts {@code establishment} on this Jitsi (prosody and Jibri both here). */
  String mediaYaml(String establishment) {
    return "establishments:\n  " + establishment + ":\n    media:\n      backend: jitsi\n      jitsi:\n"
        + "        base_url: https://meet.bench.invalid\n        prosody_http_url: " + url() + "\n"
        + "        jibri_urls: [" + url() + "]\n";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
