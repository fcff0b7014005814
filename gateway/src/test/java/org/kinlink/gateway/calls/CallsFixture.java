package org.kinlink.gateway.calls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.support.TestClock;

/**
 * People, contacts and calls of one fresh establishment for call tests, and the HTTP and socket
 * calls the tests make. The clock is first moved to 10:00 UK time on a later day, so booking never
 * depends on the hour the suite runs at and each test has a day of its own.
 */
final class CallsFixture {
  final MessagingFixture m;
  final Gateway gateway;
  final WebClient client;
  final TestClock clock;
  final Instant morning;

  CallsFixture(Gateway gateway, WebClient client, TestClock clock) {
    this(gateway, client, clock, new MessagingFixture(gateway, client));
  }

  /** With an establishment the test chose (one its node's media config names). */
  CallsFixture(Gateway gateway, WebClient client, TestClock clock, MessagingFixture m) {
    ZonedDateTime next = clock.instant().atZone(CallSettings.LONDON).plusDays(2).with(LocalTime.of(10, 0));
    clock.set(next.toInstant());
    this.morning = next.toInstant();
    this.gateway = gateway;
    this.client = client;
    this.clock = clock;
    this.m = m;
  }

  Calls calls() {
    return gateway.services().calls();
  }

  /** The chunk files of the node's recordings dir. */
  org.kinlink.gateway.calls.recording.ChunkFiles chunkFiles() {
    return new org.kinlink.gateway.calls.recording.ChunkFiles(gateway.services().config().recordingsDirectory());
  }

  /** Whether chunk {@code seq} of {@code recordingId} is stored (a file in the recordings dir). */
  boolean chunkStored(String recordingId, long seq) {
    return java.nio.file.Files.exists(chunkFiles().path(recordingId, seq));
  }

  /** The mother's school-lead contact and her daughter's supervised contact (Jade's story). */
  record School(SignedIn mother, SignedIn lead, String child, String leadContact, String childContact) {}

  School school() {
    SignedIn mother = m.mother();
    SignedIn lead = m.person(PersonKind.SCHOOL);
    String child = m.child(lead);
    String leadContact = m.contact(mother.id(), lead.id(), "SCHOOL", null);
    String childContact = m.contact(mother.id(), child, "CHILD", new JsonObject().put("oversight", "SUPERVISED")
        .put("channels", new JsonArray(List.of("VIDEO")))
        .put("supervisor", new JsonObject().put("any_of", new JsonArray(List.of("SCHOOL")))));
    return new School(mother, lead, child, leadContact, childContact);
  }

  HttpResponse<Buffer> book(String token, String contactId, Instant start, int minutes, String... participants) {
    JsonObject body = new JsonObject().put("contact_id", contactId).put("start", start.toString()).put("duration", minutes);
    if (participants.length > 0) {
      body.put("participants", new JsonArray(List.of((Object[]) participants)));
    }
    return AuthFixture.post(client, "/api/v1/calls", token, body);
  }

  JsonObject booked(String token, String contactId, Instant start, int minutes, String... participants) {
    HttpResponse<Buffer> r = book(token, contactId, start, minutes, participants);
    if (r.statusCode() != 201) {
      throw new AssertionError("booking failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  /** The kiosk's recording upload, as call.js sends it: the slice as an octet-stream body, seq and mime in the query. */
  HttpResponse<Buffer> chunk(String token, String callId, long seq, byte[] slice) {
    return org.kinlink.gateway.Gateway.await(client.post("/api/v1/calls/" + callId + "/recording/chunks?seq=" + seq + "&mime=video%2Fwebm")
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(slice)));
  }

  HttpResponse<Buffer> post(String token, String path, JsonObject body) {
    return AuthFixture.post(client, path, token, body == null ? new JsonObject() : body);
  }

  HttpResponse<Buffer> join(String token, String callId) {
    return post(token, "/api/v1/calls/" + callId + "/join", null);
  }

  JsonObject joined(String token, String callId) {
    HttpResponse<Buffer> r = join(token, callId);
    if (r.statusCode() != 200) {
      throw new AssertionError("join failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  JsonObject call(String token, String callId) {
    return AuthFixture.get(client, "/api/v1/calls/" + callId, token).bodyAsJsonObject();
  }

  /** A join link for the call's child, made by {@code token}; answers the token part of the link. */
  String link(String token, String callId) {
    HttpResponse<Buffer> r = post(token, "/api/v1/calls/" + callId + "/join-links", null);
    if (r.statusCode() != 201) {
      throw new AssertionError("join link failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    String url = r.bodyAsJsonObject().getString("url");
    return url.substring("/join/".length());
  }

  HttpResponse<Buffer> redeem(String token, String device) {
    return AuthFixture.post(client, "/api/v1/join/" + token, new JsonObject().put("device_id", device));
  }

  static String device() {
    return "device-" + UUID.randomUUID();
  }

  /** A socket signed in with {@code accessToken} that joined the call with the ticket of a join answer. */
  static TestSocket inCall(Vertx vertx, Gateway node, String accessToken, JsonObject joinAnswer) {
    TestSocket s = TestSocket.signedIn(vertx, node, accessToken);
    s.send(new JsonObject().put("type", "call.join").put("ticket", joinAnswer.getJsonObject("join").getString("ticket")));
    JsonObject joined = s.next(f -> "call.joined".equals(f.getString("type")) || "error".equals(f.getString("type")));
    if (!"call.joined".equals(joined.getString("type"))) {
      throw new AssertionError("call.join refused: " + joined.encode());
    }
    return s;
  }

  /** A child's socket: authenticated by the ticket of a redeemed link, then joined with it. */
  static TestSocket childInCall(Vertx vertx, Gateway node, JsonObject joinAnswer) {
    String ticket = joinAnswer.getJsonObject("join").getString("ticket");
    TestSocket s = TestSocket.signedIn(vertx, node, ticket);
    s.send(new JsonObject().put("type", "call.join").put("ticket", ticket));
    JsonObject joined = s.next(f -> "call.joined".equals(f.getString("type")) || "error".equals(f.getString("type")));
    if (!"call.joined".equals(joined.getString("type"))) {
      throw new AssertionError("child call.join refused: " + joined.encode());
    }
    return s;
  }

  /** Sends an offer-like signal and answers the hub's reply (an error frame) or null when relayed. */
  static void signal(TestSocket s, String callId, String to, String ref) {
    s.send(new JsonObject().put("type", "call.signal").put("ref", ref).put("call_id", callId).put("to", to)
        .put("data", new JsonObject().put("kind", "offer").put("sdp", "v=0 test " + ref)));
  }

  /**
   * A call between {@code mother} and {@code other} that went live, had {@code chunks} uploaded by
   * the mother's kiosk a second apart, and was ended by security; answers its id.
   */
  String recorded(Vertx vertx, SignedIn mother, SignedIn other, String contact, Duration at, List<byte[]> chunks,
      String... approvers) {
    String id = booked(mother.token(), contact, in(at), 30).getString("id");
    for (String officer : approvers) {
      HttpResponse<Buffer> r = post(officer, "/api/v1/calls/" + id + "/approve", null);
      if (r.statusCode() != 200) {
        throw new AssertionError("approve failed: " + r.bodyAsString());
      }
    }
    at(in(at));
    try (TestSocket m = inCall(vertx, gateway, mother.token(), joined(mother.token(), id));
         TestSocket o = inCall(vertx, gateway, other.token(), joined(other.token(), id))) {
      m.next(fr -> "call.state".equals(fr.getString("type")) && "LIVE".equals(fr.getString("state")));
      for (int i = 0; i < chunks.size(); i++) {
        if (i > 0) {
          clock.advance(Duration.ofSeconds(1));
        }
        HttpResponse<Buffer> r = chunk(mother.token(), id, i, chunks.get(i));
        if (r.statusCode() != 200) {
          throw new AssertionError("chunk refused: " + r.bodyAsString());
        }
      }
      HttpResponse<Buffer> ended = post(this.m.security(), "/api/v1/calls/" + id + "/terminate", new JsonObject().put("reason", "end of test call"));
      if (ended.statusCode() != 200) {
        throw new AssertionError("terminate failed: " + ended.bodyAsString());
      }
      o.next(fr -> "call.state".equals(fr.getString("type")) && "ENDED".equals(fr.getString("state")));
    }
    return id;
  }

  void at(Instant t) {
    clock.set(t);
  }

  Instant in(Duration d) {
    return morning.plus(d);
  }

  List<JsonObject> audit(String action) {
    return m.audit(action);
  }
}
