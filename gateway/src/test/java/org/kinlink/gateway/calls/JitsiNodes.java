package org.kinlink.gateway.calls;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.jitsi.FakeJitsi;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Gateway nodes with one establishment on Jitsi, against a loopback fake of prosody and Jibri: the
 * fake is made first (it needs the gateway's key URLs), then the nodes on the port it was told.
 */
final class JitsiNodes {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String MONITOR_PASSWORD = "monitor-password-0123456789";
  /** Small, so that a test can go past it; still above max-body-bytes (1 MiB). */
  static final int RECORDING_MAX_MB = 3;
  final FakeJitsi prosody;
  final String gateway;
  final int port;

  private JitsiNodes(FakeJitsi prosody, String gateway, int port) {
    this.prosody = prosody;
    this.gateway = gateway;
    this.port = port;
  }

  /** The fake, and {@code media.yaml} in {@code dataDir} putting {@code establishment} on it. */
  static JitsiNodes prepare(KinlinkExtension kinlink, Path dataDir, String establishment) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String gw = "http://127.0.0.1:" + port;
    FakeJitsi fake = new FakeJitsi(kinlink.vertx(), kinlink.clock(), gw + "/jitsi/keys/system", gw + "/jitsi/keys/login");
    Files.createDirectories(dataDir);
    // the monitor account's password as the deployment script leaves it for the gateway
    Path monitorPassword = dataDir.resolve("monitor-password");
    Files.writeString(monitorPassword, MONITOR_PASSWORD + "\n");
    Files.writeString(dataDir.resolve("media.yaml"), "establishments:\n  " + establishment + ":\n    media:\n      backend: jitsi\n"
        + "      jitsi:\n        base_url: https://meet.example.org\n        prosody_http_url: " + fake.url() + "\n"
        + "        jibri_urls: [" + fake.url() + "]\n        monitor_user: kinlink-monitor\n"
        + "        recording_max_mb: " + RECORDING_MAX_MB + "\n"
        + "        monitor_password_file: " + monitorPassword + "\n");
    return new JitsiNodes(fake, gw, port);
  }

  boolean endedAtProsody(String callId) {
    return prosody.ended.stream().anyMatch(q -> q.startsWith(callId + "%40muc.") || q.startsWith(callId + "@muc."));
  }

  static String ready(Gateway node) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.opsPort() + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
