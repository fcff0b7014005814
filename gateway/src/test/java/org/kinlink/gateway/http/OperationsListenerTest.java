package org.kinlink.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.config.HttpSettings;
import org.kinlink.gateway.support.KinlinkExtension;

/** Issue 9 item 9: /metrics only on the operations listener or with the scrape token; HSTS in TLS mode. */
class OperationsListenerTest {
  static final String TOKEN = "scrape-token-0123456789abcdef0123456789";
  @RegisterExtension
  final KinlinkExtension kinlink = KinlinkExtension.create();

  Vertx vertx;
  Gateway gateway;

  @BeforeEach
  void client() {
    vertx = kinlink.vertx();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private HttpResponse<Buffer> get(int port, boolean tls, String path, String authorization) {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setSsl(tls).setTrustAll(tls).setVerifyHost(false));
    var request = client.get(path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return Gateway.await(request.send());
  }

  @Test
  void metricsAnswerOnTheOperationsListenerAndNotOnTheMainOne() {
    gateway = Gateway.start(kinlink.config());
    HttpResponse<Buffer> main = get(gateway.port(), false, "/metrics", null);
    assertEquals(404, main.statusCode());
    assertEquals("NOT_FOUND", main.bodyAsJsonObject().getJsonObject("error").getString("code"));
    HttpResponse<Buffer> ops = get(gateway.opsPort(), false, "/metrics", null);
    assertEquals(200, ops.statusCode());
    assertTrue(ops.bodyAsString().contains("vertx_http_server"), "Vert.x HTTP metrics are exported");
    assertEquals(200, get(gateway.opsPort(), false, "/health/ready", null).statusCode());
    assertEquals("nosniff", get(gateway.opsPort(), false, "/nothing", null).getHeader("X-Content-Type-Options"));
  }

  @Test
  void withAScrapeTokenTheMainListenerAnswersMetricsToItOnly() {
    GatewayConfig c = kinlink.config();
    gateway = Gateway.start(c.withHttp(HttpSettings.defaults().withMetricsToken(Optional.of(TOKEN))));
    assertEquals(200, get(gateway.port(), false, "/metrics", "Bearer " + TOKEN).statusCode());
    HttpResponse<Buffer> wrong = get(gateway.port(), false, "/metrics", "Bearer " + TOKEN.replace('0', '1'));
    assertEquals(401, wrong.statusCode(), "a wrong token is refused like any bad bearer token");
    assertTrue(!wrong.bodyAsString().contains("vertx_"), wrong.bodyAsString());
    assertEquals(404, get(gateway.port(), false, "/metrics", null).statusCode());
  }

  @Test
  void tlsModeSendsHstsOnEveryAnswerPlainHttpNever() {
    GatewayConfig c = kinlink.config();
    gateway = Gateway.start(new GatewayConfig(c.host(), 0, c.dataDir(), c.redisUrl(), false, Optional.empty(), Optional.empty(),
        1, c.maxBodyBytes(), c.redisCommandTimeout(), c.accessTokenTtl(), c.refreshTokenTtl(), c.auditCheckpointEvery(),
        c.auditCheckpointInterval(), false));
    for (String path : new String[] {"/health/live", "/api/v1/no-such-thing", "/no-such-page.html"}) {
      HttpResponse<Buffer> r = get(gateway.port(), true, path, null);
      assertEquals("max-age=31536000; includeSubDomains", r.getHeader("Strict-Transport-Security"), path);
    }
    assertNull(get(gateway.opsPort(), false, "/health/live", null).getHeader("Strict-Transport-Security"),
        "the loopback operations listener is plain HTTP");
  }
}
