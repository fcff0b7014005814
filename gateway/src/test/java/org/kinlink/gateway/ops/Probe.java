package org.kinlink.gateway.ops;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.kinlink.gateway.support.Eventually;

/** Plain HTTP from the test thread, as an operator's probe or script would call the gateway. */
final class Probe {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  record Answer(int status, JsonObject body) {}

  private Probe() {}

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** GET, or status 0 when nothing answers yet. */
  static Answer get(int port, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET().build());
  }

  static Answer post(int port, String path, JsonObject body) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  private static Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body().startsWith("{") ? new JsonObject(r.body()) : new JsonObject());
    } catch (IOException e) {
      return new Answer(0, new JsonObject());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Polls until an answer matches: for what a real process does in its own time (a server
   * starting, a killed child restarting), which no test clock can advance.
   */
  static Answer until(int port, String path, Predicate<Answer> wanted, Duration within) {
    Answer[] last = {null};
    Eventually.await(path + " answering as wanted", within, () -> wanted.test(last[0] = get(port, path)));
    return last[0];
  }
}
