package org.kinlink.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.http.SelfSignedCertificate;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestGateway;

/** With TLS and several event loops on a fresh data dir, one certificate is made, before any of them serves. */
class TlsCertificateTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();


  @Test
  void fourVerticlesOnAFreshDataDirServeOneMatchingSelfSignedPair() throws Exception {
    GatewayConfig base = TestGateway.config().withRedisUrl(Optional.of(kinlink.redisUrl()));
    GatewayConfig tls = new GatewayConfig(base.host(), 0, base.dataDir(), base.redisUrl(), false, Optional.empty(),
        Optional.empty(), 4, base.maxBodyBytes(), base.redisCommandTimeout(), base.accessTokenTtl(), base.refreshTokenTtl(),
        base.auditCheckpointEvery(), base.auditCheckpointInterval(), false);
    Path cert = base.dataDir().resolve("tls/gateway.crt");
    Path key = base.dataDir().resolve("tls/gateway.key");
    assertTrue(Files.notExists(cert), "fresh data dir");
    Vertx vertx = Vertx.vertx();
    try (Gateway gateway = Gateway.start(tls)) {
      assertTrue(SelfSignedCertificate.matches(cert, key), "the key beside the certificate is the certificate's key");
      String servedPem = Files.readString(cert);
      // trusting only the file's certificate: the handshake succeeds on every event loop only if each serves it
      WebClient client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(false)
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(servedPem))).setKeepAlive(false));
      for (int i = 0; i < 8; i++) {
        HttpResponse<Buffer> r = Gateway.await(client.get(gateway.port(), "127.0.0.1", "/health/live").send());
        assertEquals(200, r.statusCode());
      }
      assertEquals(servedPem, Files.readString(cert), "made once: no verticle replaced it");
    } finally {
      Gateway.await(vertx.close());
    }
    // and a restart keeps the pair clients may have pinned
    String pinned = Files.readString(cert);
    try (Gateway again = Gateway.start(tls)) {
      assertEquals(pinned, Files.readString(cert));
    }
  }

  @Test
  void aMismatchedPairLeftOnDiskIsReplacedByAMatchingOne() throws Exception {
    Path one = Files.createTempDirectory("kinlink-tls-a");
    Path two = Files.createTempDirectory("kinlink-tls-b");
    var a = SelfSignedCertificate.ensure(one, "localhost");
    var b = SelfSignedCertificate.ensure(two, "localhost");
    Files.copy(b.privateKey(), a.privateKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertTrue(!SelfSignedCertificate.matches(a.certificate(), a.privateKey()), "the race's outcome: another's key");
    var fixed = SelfSignedCertificate.ensure(one, "localhost");
    assertTrue(SelfSignedCertificate.matches(fixed.certificate(), fixed.privateKey()));
  }
}
