package org.kinlink.gateway.calls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.contacts.ContactsService;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.jitsi.FakeJitsi;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.Eventually;
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
  final KinlinkExtension kinlink;
  final String establishment;
  final FakeJitsi prosody;
  final String gateway;
  final int port;

  private JitsiNodes(KinlinkExtension kinlink, String establishment, FakeJitsi prosody, String gateway, int port) {
    this.kinlink = kinlink;
    this.establishment = establishment;
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
    return new JitsiNodes(kinlink, establishment, fake, gw, port);
  }

  /** A fixture on {@code node} in the Jitsi establishment (it moves the clock to a fresh day: make every fixture of a test first). */
  CallsFixture fixture(Gateway node) {
    return new CallsFixture(node, kinlink.client(node), kinlink.clock(),
        new MessagingFixture(node, kinlink.client(node), new AuthFixture(node, establishment)));
  }

  /** A mother's call with her approved carer, booked through {@code f} and open now. */
  record Booked(String id, String contact, SignedIn mother, SignedIn carer) {}

  static Booked openCarerCall(CallsFixture f) {
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    String id = bookOnceJibriAnswers(f, mother.token(), contact, f.in(Duration.ofMinutes(5)));
    f.at(f.in(Duration.ofMinutes(5)));
    return new Booked(id, contact, mother, carer);
  }

  /**
   * A 30-minute call booked at {@code start}; answers its id. Calls are recorded, so booking waits
   * for a fresh IDLE answer from the (fake) Jibri after the clock moved.
   */
  @SuppressWarnings("unchecked")
  static String bookOnceJibriAnswers(CallsFixture f, String token, String contact, Instant start) {
    io.vertx.ext.web.client.HttpResponse<Buffer>[] booked = new io.vertx.ext.web.client.HttpResponse[1];
    Eventually.await("a booking once Jibri answered", Duration.ofSeconds(10),
        () -> (booked[0] = f.book(token, contact, start, 30)).statusCode() == 201);
    return booked[0].bodyAsJsonObject().getString("id");
  }

  /** A join answer, once the recorder's health is fresh again after the clock moved. */
  @SuppressWarnings("unchecked")
  static JsonObject joinOnceJibriAnswers(CallsFixture f, String token, String callId) {
    io.vertx.ext.web.client.HttpResponse<Buffer>[] joined = new io.vertx.ext.web.client.HttpResponse[1];
    Eventually.await("a join once Jibri answered", Duration.ofSeconds(10),
        () -> (joined[0] = f.join(token, callId)).statusCode() == 200);
    return joined[0].bodyAsJsonObject();
  }

  /** The occupant nick prosody gives a participant (its resource in the MUC). */
  static String nick(JsonObject join) {
    return "n" + Integer.toHexString(join.getString("participant_id").hashCode());
  }

  /** An admin of the Jitsi establishment suspends {@code contact} through {@code node}. */
  void suspend(Gateway node, String contact) {
    Principal admin = new Principal("test-admin", Role.ADMIN, establishment, null, "test");
    Gateway.await(node.services().contacts().service().transition(admin, contact,
        ContactsService.Transition.SUSPEND, new JsonObject().put("reason", "disclosure"), null, null));
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
