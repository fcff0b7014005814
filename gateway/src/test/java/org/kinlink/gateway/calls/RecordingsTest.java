package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.KinlinkExtension;

/** The kiosk's recording: stored encrypted, played back to security with a reason, and its silence ends the call. */
class RecordingsTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void chunksAreStoredEncryptedPlayedBackAuditedAndSilenceEndsTheCall() {
    Gateway gateway = kinlink.gateway();
    CallsFixture f = new CallsFixture(gateway, kinlink.client(), kinlink.clock());
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    String id = f.booked(mother.token(), contact, f.in(Duration.ofMinutes(5)), 30).getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    byte[][] chunks = {"webm-header-and-first-second".getBytes(StandardCharsets.UTF_8),
        "second-second-of-video".getBytes(StandardCharsets.UTF_8)};
    try (TestSocket m = CallsFixture.inCall(kinlink.vertx(), gateway, mother.token(), f.joined(mother.token(), id));
         TestSocket c = CallsFixture.inCall(kinlink.vertx(), gateway, carer.token(), f.joined(carer.token(), id))) {
      m.next(fr -> "call.state".equals(fr.getString("type")) && "LIVE".equals(fr.getString("state")));
      HttpResponse<Buffer> notKiosk = f.post(carer.token(), "/api/v1/calls/" + id + "/recording/chunks",
          new JsonObject().put("seq", 0).put("data", Base64.getEncoder().encodeToString(chunks[0])));
      assertEquals(403, notKiosk.statusCode());
      for (int i = 0; i < chunks.length; i++) {
        HttpResponse<Buffer> r = f.post(mother.token(), "/api/v1/calls/" + id + "/recording/chunks",
            new JsonObject().put("seq", i).put("data", Base64.getEncoder().encodeToString(chunks[i])).put("mime", "video/webm"));
        assertEquals(200, r.statusCode(), r.bodyAsString());
      }
      // a retried chunk is stored once
      assertEquals(200, f.post(mother.token(), "/api/v1/calls/" + id + "/recording/chunks",
          new JsonObject().put("seq", 1).put("data", Base64.getEncoder().encodeToString(chunks[1]))).statusCode());

      String rec = Recordings.recordingId(id, mother.id());
      String stored = Gateway.await(gateway.services().redis().<String>call(r -> r.get(Keys.recordingChunk(rec, 0))));
      assertFalse(new String(Base64.getDecoder().decode(stored), StandardCharsets.ISO_8859_1).contains("webm-header"),
          "Redis never holds the plaintext");

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
}
