package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.calls.recording.ChunkFiles;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Recordings' media lives in files in the recordings dir, which every node shares; Redis keeps a
 * recording's counters only. A chunk is counted once per seq however often it is written (a replay, a
 * retry after a node died between the file and its counters), the first complete file is the one
 * played, a recording stored the old way (chunks in Redis) still plays and is deleted by retention,
 * and no recording id reaches outside the directory.
 */
class RecordingFilesTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  /** A mother on a kiosk and a carer of hers with an approved contact, through node {@code on}. */
  private record Family(CallsFixture f, SignedIn mother, SignedIn carer, String contact) {}

  private static Family family(Gateway on) {
    CallsFixture f = new CallsFixture(on, kinlink.client(on), kinlink.clock());
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    return new Family(f, mother, carer, f.m.contact(mother.id(), carer.id(), "CARER", null));
  }

  private static List<byte[]> randomSlices(long seed, int... sizes) {
    Random random = new Random(seed);
    List<byte[]> out = new ArrayList<>();
    for (int size : sizes) {
      byte[] s = new byte[size];
      random.nextBytes(s);
      out.add(s);
    }
    return out;
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    parts.forEach(all::writeBytes);
    return all.toByteArray();
  }

  private static HttpResponse<Buffer> play(CallsFixture f, String security, String rec) {
    return play(f.client, security, rec);
  }

  private static HttpResponse<Buffer> play(io.vertx.ext.web.client.WebClient client, String security, String rec) {
    return AuthFixture.get(client, "/api/v1/recordings/" + rec + "?reason=review", security);
  }

  private static Map<String, String> counts(String rec) {
    return Gateway.await(kinlink.redis().<Map<String, String>>call(c -> c.hgetall(Keys.recordingCounts(rec))));
  }

  /** Every key of the recording's slot in Redis. */
  private static Set<String> keysOf(String rec) {
    return Set.copyOf(Gateway.await(kinlink.redis().<List<String>>call(c -> c.keys("kl:{r:" + rec + "}:*"))));
  }

  @Test
  void theMediaIsInPrivateFilesEveryNodePlaysAndRedisHoldsOnlyTheCounters() throws Exception {
    List<Gateway> nodes = kinlink.nodes(2);
    Family p = family(nodes.get(0));
    CallsFixture f = p.f();
    List<byte[]> slices = randomSlices(21, 133_000, 140_000, 90_000);
    String id = f.recorded(kinlink.vertx(), p.mother(), p.carer(), p.contact(), Duration.ofMinutes(5), slices);
    String rec = Recordings.recordingId(id, p.mother().id());

    // uploaded to node A, played byte for byte through node B (the recordings dir is shared, as in production)
    String security = f.m.security();
    HttpResponse<Buffer> played = play(kinlink.client(nodes.get(1)), security, rec);
    assertEquals(200, played.statusCode(), played.bodyAsString());
    assertArrayEquals(concat(slices), played.bodyAsBuffer().getBytes(), "what the kiosk recorded, played through the other node");

    // Redis: the counters, the seqs counted and the link to the call, a few hundred bytes; no media
    assertEquals(Set.of(Keys.recordingCounts(rec), Keys.recordingSeqs(rec), Keys.recordingCall(rec)), keysOf(rec));
    long redisBytes = 0;
    for (String key : keysOf(rec)) {
      redisBytes += Gateway.await(kinlink.redis().<Long>call(c -> c.memoryUsage(key)));
    }
    assertTrue(redisBytes < 1024, "Redis holds " + redisBytes + " bytes for a recording of " + concat(slices).length);
    System.out.println("[figure] Redis MEMORY USAGE of a recording's keys (3 chunks, " + concat(slices).length + " bytes of media): "
        + redisBytes + " bytes");

    // the files: one per chunk, sealed (no plaintext), owner-only
    ChunkFiles files = f.chunkFiles();
    assertEquals(kinlink.recordingsDir().toAbsolutePath().normalize(), files.dir());
    Path folder = files.path(rec, 0).getParent();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    try (java.util.stream.Stream<Path> listed = Files.list(folder)) {
      assertEquals(Set.of("0.chunk", "1.chunk", "2.chunk"), listed.map(x -> x.getFileName().toString()).collect(Collectors.toSet()),
          "no temp file left");
    }
    for (int seq = 0; seq < slices.size(); seq++) {
      Path file = files.path(rec, seq);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      byte[] sealed = Files.readAllBytes(file);
      assertEquals(slices.get(seq).length + 1 + Aead.NONCE_BYTES + Aead.TAG_BYTES, sealed.length);
      String hex = HexFormat.of().formatHex(sealed);
      assertFalse(hex.contains(HexFormat.of().formatHex(slices.get(seq), 1000, 1032)), "no plaintext in the file");
    }

    // retention deletes the files and their directory; what the recording was stays listed
    f.clock.advance(Duration.ofDays(91));
    assertTrue(Gateway.await(f.calls().sweepRecordings()) >= 1);
    assertFalse(Files.exists(folder), "the recording's files are gone");
    assertEquals(String.valueOf(concat(slices).length), counts(rec).get("bytes"));
    assertEquals(Set.of(Keys.recordingCounts(rec), Keys.recordingCall(rec)), keysOf(rec), "only the counters stay");
    assertEquals(410, play(f, f.m.security(), rec).statusCode());
  }

  /** A call of {@code p}'s, booked and live, its two participants' sockets open until it is closed. */
  private record Live(String id, String rec, TestSocket kiosk, TestSocket carer) implements AutoCloseable {
    static Live of(Family p) {
      CallsFixture f = p.f();
      String id = f.booked(p.mother().token(), p.contact(), f.in(Duration.ofMinutes(5)), 30).getString("id");
      f.at(f.in(Duration.ofMinutes(5)));
      TestSocket m = CallsFixture.inCall(kinlink.vertx(), f.gateway, p.mother().token(), f.joined(p.mother().token(), id));
      TestSocket c = CallsFixture.inCall(kinlink.vertx(), f.gateway, p.carer().token(), f.joined(p.carer().token(), id));
      m.next(fr -> "call.state".equals(fr.getString("type")) && "LIVE".equals(fr.getString("state")));
      return new Live(id, Recordings.recordingId(id, p.mother().id()), m, c);
    }

    @Override
    public void close() {
      kiosk.close();
      carer.close();
    }
  }

  @Test
  void aReplayAndARetryAfterACrashBetweenFileAndCountersAreCountedOnceAndTheFirstFileIsKept() throws Exception {
    Family p = family(kinlink.gateway());
    CallsFixture f = p.f();
    byte[] first = "first-second-of-video".getBytes(StandardCharsets.UTF_8);
    byte[] crashed = "second-second-as-the-dead-node-wrote-it".getBytes(StandardCharsets.UTF_8);
    String rec;
    try (Live call = Live.of(p)) {
      String id = call.id();
      rec = call.rec();
      assertEquals(200, f.chunk(p.mother().token(), id, 0, first).statusCode());

      // a replay (the kiosk's answer was lost), with other bytes even: nothing changes, it answers as the first
      HttpResponse<Buffer> replay = f.chunk(p.mother().token(), id, 0, "another slice".getBytes(StandardCharsets.UTF_8));
      assertEquals(200, replay.statusCode(), replay.bodyAsString());
      assertEquals(new JsonObject().put("recording_id", rec).put("seq", 0), replay.bodyAsJsonObject());
      assertEquals("1", counts(rec).get("chunks"));
      assertEquals(String.valueOf(first.length), counts(rec).get("bytes"));

      // a node died once seq 1's file was written, before its counters: the file through the file store alone
      Map<String, String> h = Gateway.await(kinlink.redis().<Map<String, String>>call(r -> r.hgetall(Keys.callRecordings(id))));
      byte[] key = f.gateway.services().masterKey().unwrap(Base64.getDecoder().decode(h.get(rec + ":key")),
          rec.getBytes(StandardCharsets.UTF_8));
      assertTrue(f.chunkFiles().write(rec, 1, Aead.seal(key, crashed, (rec + ":1").getBytes(StandardCharsets.UTF_8))).fresh());
      assertEquals("1", counts(rec).get("chunks"), "not counted yet");

      // the kiosk retries seq 1 (twice): counted once, as the file that is there
      for (int i = 0; i < 2; i++) {
        HttpResponse<Buffer> retry = f.chunk(p.mother().token(), id, 1, "the kiosk's retry".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, retry.statusCode(), retry.bodyAsString());
      }
      Map<String, String> n = counts(rec);
      assertEquals("2", n.get("chunks"), n.toString());
      assertEquals(String.valueOf(first.length + crashed.length), n.get("bytes"));
      assertEquals("2", n.get("next"));
      HttpResponse<Buffer> ended = f.post(f.m.security(), "/api/v1/calls/" + id + "/terminate", new JsonObject().put("reason", "end of test call"));
      assertEquals(200, ended.statusCode(), ended.bodyAsString());
      call.carer().next(fr -> "call.state".equals(fr.getString("type")) && "ENDED".equals(fr.getString("state")));
    }
    HttpResponse<Buffer> played = play(f, f.m.security(), rec);
    assertEquals(200, played.statusCode(), played.bodyAsString());
    assertEquals(new String(first, StandardCharsets.UTF_8) + new String(crashed, StandardCharsets.UTF_8), played.bodyAsString(),
        "the first complete file of each seq");
  }

  @Test
  void aChunkTheRecordingsDiskCannotTakeIsA503NothingCountedAndTheRetryIsStored() throws Exception {
    Family p = family(kinlink.gateway());
    CallsFixture f = p.f();
    try (Live call = Live.of(p)) {
      // a file where the recording's directory goes: every write of it fails, as on a full or unmounted disk
      Path blocker = f.chunkFiles().path(call.rec(), 0).getParent();
      Files.writeString(blocker, "not a directory");
      byte[] slice = "first-second-of-video".getBytes(StandardCharsets.UTF_8);
      HttpResponse<Buffer> refused = f.chunk(p.mother().token(), call.id(), 0, slice);
      assertEquals(503, refused.statusCode(), refused.bodyAsString());
      assertFalse(refused.bodyAsJsonObject().getJsonObject("error").getString("message").isBlank());
      assertTrue(counts(call.rec()).isEmpty(), "nothing counted");
      Files.delete(blocker);
      assertEquals(200, f.chunk(p.mother().token(), call.id(), 0, slice).statusCode(), "the kiosk's retry");
      assertEquals("1", counts(call.rec()).get("chunks"));
      assertTrue(f.chunkStored(call.rec(), 0));
    }
  }

  @Test
  void aRecordingStoredTheOldWayInRedisStillPlaysAndRetentionDeletesIt() throws Exception {
    Family p = family(kinlink.gateway());
    CallsFixture f = p.f();
    List<byte[]> slices = randomSlices(5, 40_000, 1, 25_000);
    String id = f.recorded(kinlink.vertx(), p.mother(), p.carer(), p.contact(), Duration.ofMinutes(5), slices);
    String rec = Recordings.recordingId(id, p.mother().id());
    // as a gateway before chunk files left it: each sealed chunk a raw-bytes key, no files, no seqs bitmap
    Redis redis = kinlink.redis();
    ChunkFiles files = f.chunkFiles();
    for (int seq = 0; seq < slices.size(); seq++) {
      byte[] sealed = Files.readAllBytes(files.path(rec, seq));
      String chunk = Keys.recordingChunk(rec, seq);
      Gateway.await(redis.<String>binary(c -> c.set(chunk, sealed)));
    }
    files.deleteAll(rec);
    Gateway.await(redis.<Long>call(c -> c.del(Keys.recordingSeqs(rec))));
    assertFalse(Files.exists(files.path(rec, 0).getParent()));

    HttpResponse<Buffer> played = play(f, f.m.security(), rec);
    assertEquals(200, played.statusCode(), played.bodyAsString());
    assertArrayEquals(concat(slices), played.bodyAsBuffer().getBytes(), "an older recording plays from Redis");

    f.clock.advance(Duration.ofDays(91));
    assertTrue(Gateway.await(f.calls().sweepRecordings()) >= 1);
    for (int seq = 0; seq < slices.size(); seq++) {
      String chunk = Keys.recordingChunk(rec, seq);
      assertEquals(0L, (long) Gateway.<Long>await(redis.call(c -> c.exists(chunk))), "old chunk key " + seq + " deleted");
    }
    assertEquals(Set.of(Keys.recordingCounts(rec), Keys.recordingCall(rec)), keysOf(rec));
    assertEquals(410, play(f, f.m.security(), rec).statusCode());
  }

  @Test
  void noRecordingIdReachesOutsideTheRecordingsDir() throws Exception {
    ChunkFiles files = new ChunkFiles(kinlink.recordingsDir());
    Path outside = kinlink.recordingsDir().getParent().resolve("escaped-" + System.nanoTime() + ".chunk");
    for (String bad : List.of("../escaped", "rec-../../escaped", "rec-x/../../escaped", "rec-.", "rec-..", "..", "/etc/passwd",
        "rec-a/b", "rec-a\\b", "", "rec-")) {
      assertThrows(IllegalArgumentException.class, () -> files.path(bad, 0), bad);
      assertThrows(IllegalArgumentException.class, () -> files.write(bad, 0, new byte[64]), bad);
      assertThrows(IllegalArgumentException.class, () -> files.read(bad, 0), bad);
      assertThrows(IllegalArgumentException.class, () -> files.deleteAll(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> files.path("rec-ok", -1));
    assertFalse(Files.exists(outside));
    assertEquals(kinlink.recordingsDir().toAbsolutePath().normalize(), files.path("rec-0b6b2c4e-pr-A1234BC", 7).getParent().getParent());

    // through the API: an id with ../ is a recording that does not exist, not a file read
    CallsFixture f = new CallsFixture(kinlink.gateway(), kinlink.client(), kinlink.clock());
    String security = f.m.security();
    for (String path : List.of("..%2F..%2Fetc%2Fpasswd", "rec-..%2F..%2Fkeys%2Fmaster.key")) {
      HttpResponse<Buffer> r = AuthFixture.get(f.client, "/api/v1/recordings/" + path + "?reason=x", security);
      assertEquals(404, r.statusCode(), path + " -> " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getJsonObject("error").containsKey("message"));
    }
  }
}
