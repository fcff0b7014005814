package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * The kiosk's recording: each MediaRecorder slice uploaded as it is (octet-stream), stored sealed as
 * raw bytes (a file) once per seq, played back to security with a reason as one streamed response, and its
 * silence ends the call; bad uploads are refused in the error shape, never with a 5xx.
 */
class RecordingsTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void chunksAreStoredEncryptedPlayedBackAuditedAndSilenceEndsTheCall() throws Exception {
    Gateway gateway = kinlink.gateway();
    Family p = family(gateway);
    CallsFixture f = p.f();
    String id = f.booked(p.mother().token(), p.contact(), f.in(Duration.ofMinutes(5)), 30).getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    byte[][] chunks = {"webm-header-and-first-second".getBytes(StandardCharsets.UTF_8),
        "second-second-of-video".getBytes(StandardCharsets.UTF_8)};
    try (TestSocket m = CallsFixture.inCall(kinlink.vertx(), gateway, p.mother().token(), f.joined(p.mother().token(), id));
         TestSocket c = CallsFixture.inCall(kinlink.vertx(), gateway, p.carer().token(), f.joined(p.carer().token(), id))) {
      m.next(fr -> "call.state".equals(fr.getString("type")) && "LIVE".equals(fr.getString("state")));
      assertEquals(403, f.chunk(p.carer().token(), id, 0, chunks[0]).statusCode());
      for (int i = 0; i < chunks.length; i++) {
        HttpResponse<Buffer> r = f.chunk(p.mother().token(), id, i, chunks[i]);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals(i, r.bodyAsJsonObject().getLong("seq"));
      }
      // a retried chunk (even with other bytes) is stored once and answers as the first did
      HttpResponse<Buffer> again = f.chunk(p.mother().token(), id, 1, "a different slice".getBytes(StandardCharsets.UTF_8));
      assertEquals(200, again.statusCode(), again.bodyAsString());
      assertEquals(1, again.bodyAsJsonObject().getLong("seq"));

      String rec = Recordings.recordingId(id, p.mother().id());
      byte[] stored = java.nio.file.Files.readAllBytes(f.chunkFiles().path(rec, 0));
      assertEquals(chunks[0].length + 1 + Aead.NONCE_BYTES + Aead.TAG_BYTES, stored.length, "raw sealed bytes (version, nonce, tag), not base64");
      assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("webm-header"), "the store never holds the plaintext");
      Map<String, String> counts = Gateway.await(gateway.services().redis().<Map<String, String>>call(r -> r.hgetall(Keys.recordingCounts(rec))));
      assertEquals("2", counts.get("chunks"), counts.toString());
      assertEquals(String.valueOf(chunks[0].length + chunks[1].length), counts.get("bytes"));

      // the kiosk stops sending: 10 s later the call ends, fail closed
      f.clock.advance(Calls.RECORDER_SILENCE.plusSeconds(1));
      Gateway.await(f.calls().sweep());
      assertEquals("RECORDING_FAILED", c.next(fr -> "call.state".equals(fr.getString("type"))
          && "ENDED".equals(fr.getString("state"))).getString("why"));
    }

    String security = f.m.security();
    JsonObject list = AuthFixture.get(f.client, "/api/v1/calls/" + id + "/recordings?reason=complaint", security).bodyAsJsonObject();
    assertEquals(1, list.getJsonArray("items").size(), list.encode());
    JsonObject item = list.getJsonArray("items").getJsonObject(0);
    assertEquals(chunks[0].length + chunks[1].length, item.getLong("bytes"));
    assertEquals(2, item.getLong("chunks"));
    HttpResponse<Buffer> noReason = AuthFixture.get(f.client, "/api/v1/recordings/" + item.getString("id"), security);
    assertEquals(400, noReason.statusCode());
    HttpResponse<Buffer> play = AuthFixture.get(f.client, "/api/v1/recordings/" + item.getString("id") + "?reason=complaint%20review", security);
    assertEquals(200, play.statusCode(), play.bodyAsString());
    assertEquals("video/webm", play.getHeader("Content-Type"));
    byte[] expected = (new String(chunks[0], StandardCharsets.UTF_8) + new String(chunks[1], StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, play.bodyAsBuffer().getBytes());
    assertEquals("complaint review", f.audit("call.recording.play").get(0).getJsonObject("details").getString("reason"));
    assertEquals(403, AuthFixture.get(f.client, "/api/v1/recordings/" + item.getString("id") + "?reason=x",
        f.m.auth.staffToken(f.client, org.kinlink.gateway.identity.Role.OFFICER)).statusCode());
    String elsewhere = new MessagingFixture(gateway, f.client).security();
    assertEquals(404, AuthFixture.get(f.client, "/api/v1/recordings/" + item.getString("id") + "?reason=x", elsewhere).statusCode());
  }

  @Test
  void aBadChunkIsRefusedInTheErrorShapeAndNothingIsStored() throws Exception {
    Gateway gateway = kinlink.gateway();
    Family p = family(gateway);
    CallsFixture f = p.f();
    String id = f.booked(p.mother().token(), p.contact(), f.in(Duration.ofMinutes(5)), 30).getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    String path = "/api/v1/calls/" + id + "/recording/chunks";
    try (TestSocket m = CallsFixture.inCall(kinlink.vertx(), gateway, p.mother().token(), f.joined(p.mother().token(), id));
         TestSocket c = CallsFixture.inCall(kinlink.vertx(), gateway, p.carer().token(), f.joined(p.carer().token(), id))) {
      m.next(fr -> "call.state".equals(fr.getString("type")) && "LIVE".equals(fr.getString("state")));

      // who is asking comes first: signed out, even a wrong type hears 401
      refusal(Gateway.await(f.client.post(path + "?seq=0").putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer("{}"))), 401, null);
      // the old JSON form, and no type at all: 415, saying what to send
      HttpResponse<Buffer> json = f.post(p.mother().token(), path + "?seq=0", new JsonObject().put("seq", 0).put("data", "AAAA"));
      JsonObject error = refusal(json, 415, "UNSUPPORTED_MEDIA_TYPE");
      assertTrue(error.getString("message").contains("application/octet-stream"), error.encode());
      refusal(Gateway.await(f.client.post(path + "?seq=0").putHeader("Authorization", "Bearer " + p.mother().token())
          .sendBuffer(Buffer.buffer(new byte[] {1, 2, 3}))), 415, "UNSUPPORTED_MEDIA_TYPE");

      // empty, and one byte over the limit (declared, and sent without a length): 413 naming the limit
      String limit = Recordings.MAX_CHUNK_BYTES / 1024 + " KiB";
      error = refusal(f.chunk(p.mother().token(), id, 0, new byte[0]), 413, "CHUNK_TOO_LARGE");
      assertTrue(error.getString("message").contains("empty") && error.getString("message").contains(limit), error.encode());
      error = refusal(f.chunk(p.mother().token(), id, 0, new byte[Recordings.MAX_CHUNK_BYTES + 1]), 413, "CHUNK_TOO_LARGE");
      assertTrue(error.getString("message").contains(limit), error.encode());
      HttpClient http = HttpClient.newHttpClient();
      byte[] big = new byte[Recordings.MAX_CHUNK_BYTES + 100_000];
      java.net.http.HttpResponse<String> streamed = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path + "?seq=0"))
          .header("Authorization", "Bearer " + p.mother().token()).header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(413, streamed.statusCode(), streamed.body());
      assertTrue(new JsonObject(streamed.body()).getJsonObject("error").getString("message").contains(limit), streamed.body());

      // seq missing, negative, not a number, too large: 400 naming seq
      byte[] slice = "slice".getBytes(StandardCharsets.UTF_8);
      for (String query : List.of("", "?seq=-1", "?seq=first", "?seq=1.5", "?seq=99999999999")) {
        HttpResponse<Buffer> r = Gateway.await(f.client.post(path + query).putHeader("Authorization", "Bearer " + p.mother().token())
            .putHeader("Content-Type", "application/octet-stream").sendBuffer(Buffer.buffer(slice)));
        assertEquals("seq", refusal(r, 400, null).getString("field"), query + " -> " + r.bodyAsString());
      }

      // the media type is played back as a header: a line break in it is refused, naming mime
      HttpResponse<Buffer> badType = Gateway.await(f.client.post(path + "?seq=0&mime=video%2Fwebm%0D%0AX-Evil%3A%201")
          .putHeader("Authorization", "Bearer " + p.mother().token()).putHeader("Content-Type", "application/octet-stream")
          .sendBuffer(Buffer.buffer(slice)));
      assertEquals("mime", refusal(badType, 400, null).getString("field"), badType.bodyAsString());

      String rec = Recordings.recordingId(id, p.mother().id());
      assertTrue(Gateway.await(gateway.services().redis().<Map<String, String>>call(r -> r.hgetall(Keys.recordingCounts(rec)))).isEmpty(),
          "nothing refused was stored");
      assertEquals(200, f.chunk(p.mother().token(), id, 0, slice).statusCode(), "the same call still takes a good chunk");
    }
  }

  @Test
  void aRecordingLargerThanAnyRequestBodyPlaysBackByteForByteAsOneStreamedResponse() throws Exception {
    Gateway gateway = kinlink.gateway();
    Family p = family(gateway);
    CallsFixture f = p.f();
    // six slices, the largest at the chunk limit: 4 MB in all, four times max-body-bytes
    Random random = new Random(12);
    List<byte[]> slices = new ArrayList<>();
    for (int size : new int[] {Recordings.MAX_CHUNK_BYTES, 700_000, 1, 900_000, 133_000, Recordings.MAX_CHUNK_BYTES - 7}) {
      byte[] s = new byte[size];
      random.nextBytes(s);
      slices.add(s);
    }
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    slices.forEach(whole::writeBytes);
    assertTrue(whole.size() > 3 * gateway.services().config().maxBodyBytes());
    String id = f.recorded(kinlink.vertx(), p.mother(), p.carer(), p.contact(), Duration.ofMinutes(5), slices);
    String rec = Recordings.recordingId(id, p.mother().id());

    String security = f.m.security();
    HttpClient http = HttpClient.newHttpClient();
    // a player that goes away after the first bytes: the gateway stops there, and plays the next request whole
    java.net.http.HttpResponse<InputStream> left = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
        + "/api/v1/recordings/" + rec + "?reason=review")).header("Authorization", "Bearer " + security).build(),
        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = left.body()) {
      assertArrayEquals(java.util.Arrays.copyOf(whole.toByteArray(), 1000), in.readNBytes(1000));
    }
    java.net.http.HttpResponse<InputStream> played = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
        + "/api/v1/recordings/" + rec + "?reason=review")).header("Authorization", "Bearer " + security).build(),
        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, played.statusCode());
    assertEquals("chunked", played.headers().firstValue("Transfer-Encoding").orElse(""), "streamed, not held whole");
    assertEquals("video/webm", played.headers().firstValue("Content-Type").orElse(""));
    byte[] back;
    try (InputStream in = played.body()) {
      back = in.readAllBytes();
    }
    assertEquals(whole.size(), back.length);
    assertArrayEquals(whole.toByteArray(), back, "security plays exactly what the kiosk recorded, in order");
    assertEquals(2, f.audit("call.recording.play").stream().filter(e -> rec.equals(e.getJsonObject("details").getString("recording_id")))
        .count(), "each playback audited");
  }

  /** A mother on a kiosk and a carer of hers, with an approved contact between them. */
  private record Family(CallsFixture f, SignedIn mother, SignedIn carer, String contact) {}

  private static Family family(Gateway gateway) {
    CallsFixture f = new CallsFixture(gateway, kinlink.client(), kinlink.clock());
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    return new Family(f, mother, carer, f.m.contact(mother.id(), carer.id(), "CARER", null));
  }

  private static JsonObject refusal(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    if (code != null) {
      assertEquals(code, error.getString("code"), r.bodyAsString());
    }
    assertFalse(error.getString("message").isBlank());
    return error;
  }
}
