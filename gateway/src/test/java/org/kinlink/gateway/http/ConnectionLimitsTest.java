package org.kinlink.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.config.HttpSettings;
import org.kinlink.gateway.support.KinlinkExtension;

/** Issue 9 item 4: half-open and idle connections are capped and closed; health still answers under a flood. */
class ConnectionLimitsTest {
  @RegisterExtension
  final KinlinkExtension kinlink = KinlinkExtension.create();

  Vertx vertx;
  Gateway gateway;
  final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void client() {
    vertx = kinlink.vertx();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  private Gateway start(Duration idle, Duration header, int max, int perSource) {
    GatewayConfig c = kinlink.config();
    gateway = Gateway.start(c.withHttp(HttpSettings.defaults().withConnections(idle, header, max, perSource)));
    return gateway;
  }

  private int ready(int port, String source) {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setLocalAddress(source).setKeepAlive(false));
    HttpResponse<Buffer> r = Gateway.await(client.get("/health/ready").send());
    client.close();
    return r.statusCode();
  }

  /** A counter or gauge of the main listener, read from the operations listener's /metrics. */
  private long meter(String name) {
    WebClient ops = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.opsPort()));
    String text = Gateway.await(ops.get("/metrics").send()).bodyAsString();
    ops.close();
    Matcher m = Pattern.compile("(?m)^" + name + "\\{listener=\"main\"[^}]*\\} ([0-9.E+]+)$").matcher(text);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  /** Polls the meter (each poll a real scrape) until it satisfies {@code done}; fails after 200 polls. */
  private long awaitMeter(String name, LongPredicate done) {
    long value = -1;
    for (int i = 0; i < 200; i++) {
      value = meter(name);
      if (done.test(value)) {
        return value;
      }
      Gateway.await(vertx.timer(50));
    }
    throw new AssertionError(name + " stayed at " + value);
  }

  @Test
  void connectionsOverTheSourceCapAreClosedAtOnceAndHalfOpenOnesAfterTheHeaderTimeout() {
    start(Duration.ofSeconds(30), Duration.ofMillis(500), 1000, 4);
    for (int i = 0; i < 10; i++) {
      sockets.add(RawHttp.idle(gateway.port(), "127.0.9.9"));
    }
    assertEquals(6, awaitMeter("kinlink_http_connections_refused_total", n -> n >= 6), "the six over the cap of 4");
    // another source is not affected, and the probes answer on both listeners
    assertEquals(200, ready(gateway.port(), "127.0.9.10"));
    assertEquals(200, ready(gateway.opsPort(), "127.0.0.1"));
    assertEquals(4, awaitMeter("kinlink_http_connections_header_timeouts_total", n -> n >= 4), "the four that sent nothing");
    for (Socket s : sockets) {
      assertTrue(RawHttp.closedByServer(s, 10_000), "every connection that sent no request was closed");
    }
    assertEquals(0, awaitMeter("kinlink_http_connections_open", n -> n == 0));
    assertEquals(200, ready(gateway.port(), "127.0.9.9"), "the source may connect again once its connections are gone");
  }

  @Test
  void aHalfSentRequestHeadIsClosedAndAnIdleKeptAliveConnectionToo() throws IOException {
    start(Duration.ofMillis(800), Duration.ofMillis(500), 1000, 64);
    Socket partial = RawHttp.idle(gateway.port(), "127.0.9.11");
    sockets.add(partial);
    partial.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(RawHttp.closedByServer(partial, 20_000), "a head never finished is closed");

    Socket kept = RawHttp.idle(gateway.port(), "127.0.9.12");
    sockets.add(kept);
    kept.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    byte[] answer = new byte[12];
    kept.setSoTimeout(10_000);
    assertEquals(12, kept.getInputStream().readNBytes(answer, 0, 12));
    assertEquals("HTTP/1.1 200", new String(answer, StandardCharsets.ISO_8859_1));
    assertTrue(RawHttp.closedByServer(kept, 20_000), "an answered connection left idle is closed after the idle timeout");
    assertTrue(meter("kinlink_http_connections_header_timeouts_total") >= 1);
  }

  /** A flood from many sources fills the node's cap; the operations listener still answers /health/ready. */
  @Test
  void aFloodFillsTheNodeCapAndReadinessStillAnswersOnTheOperationsListener() {
    start(Duration.ofSeconds(60), Duration.ofSeconds(60), 1000, 64);
    for (int source = 1; source <= 20; source++) {
      for (int i = 0; i < 100; i++) {
        sockets.add(RawHttp.idle(gateway.port(), "127.0.8." + source));
      }
    }
    long refused = awaitMeter("kinlink_http_connections_refused_total", n -> n >= 1000);
    long open = meter("kinlink_http_connections_open");
    assertEquals(1000, open, "held open: the node's cap");
    assertEquals(1000, refused, "2000 tried, 1280 within the per-source caps, 1000 within the node's");
    assertEquals(200, ready(gateway.opsPort(), "127.0.0.1"), "readiness answers under the flood");
    System.out.println("FIGURE flood: 2000 idle connections from 20 sources, " + open + " held open, " + refused
        + " closed at once, /health/ready on the operations listener 200");
  }
}
