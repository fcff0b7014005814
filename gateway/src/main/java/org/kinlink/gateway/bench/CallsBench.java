package org.kinlink.gateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.bench.CallsBenchFixtures.Call;
import org.kinlink.gateway.bench.CallsBenchFixtures.Person;
import org.kinlink.gateway.calls.CallSettings;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.calls.CallsModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kinlink bench calls}: starts two gateway nodes on one bundled Redis (and a loopback
 * stand-in for prosody and Jibri), makes its own fixtures, and measures the video-call figures,
 * each beside the target or ceiling it chases where there is one:
 * <ol>
 *   <li>join request to join answer ({@code POST /calls/{id}/join}, a fresh JOIN_CALL decision each
 *       time) over every participant of {@code --calls} OPEN calls, and a child's link redeemed;</li>
 *   <li>suspension through node A's API to the call-ended frame on the last participant's socket on
 *       node B, over {@code --runs} calls (target: one second);</li>
 *   <li>recording: bytes per minute at the kiosk's MediaRecorder rate, and chunks sealed and stored
 *       through {@code POST /calls/{id}/recording/chunks}, against raw AES-256-GCM on this machine;</li>
 *   <li>signalling one node holds: {@code --calls} calls (two or three sockets each) relaying
 *       offer/answer/ICE frames, closed loop (the most it relays) then at half that rate (latency),
 *       and the heap after;</li>
 *   <li>Jitsi: suspension on node A to the {@code end-meeting} request reaching prosody, for calls
 *       joined on node B (the other node) and on node A.</li>
 * </ol>
 * People, lines of text, then a JSON summary as the last line. Nothing here is a pass/fail timing test.
 */
@Command(name = "calls", mixinStandardHelpOptions = true,
    description = {"Two nodes + fixtures: join latency, suspension -> every participant's call-ended frame (two nodes), "
        + "recording bytes/min and chunk encryption+store MB/s against raw AES-256-GCM, signalling frames/s one node relays, "
        + "and restriction change -> Jitsi end-meeting; JSON summary last.",
        "Runs 3 x --duration plus the setup and the runs (about five minutes with the defaults on a shared 2-core machine)."})
public final class CallsBench implements Callable<Integer> {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Longest the bench waits for any one answer or frame before it counts it as missing. */
  private static final long WAIT_SECONDS = 10;
  /** Calls are booked for this long: far more than any run, so END_BY never ends one mid-bench. */
  private static final int CALL_MINUTES = 60;
  static final int MAX_CALLS = 2000;

  @Spec
  CommandSpec spec;

  @Option(names = "--calls", defaultValue = "200", description = "concurrent calls one node carries (alternately 2 and 3 "
      + "participants), also the calls whose joins are timed (default 200; at most " + MAX_CALLS + ", a limit that keeps a "
      + "shared 2-core machine usable)")
  int calls;

  @Option(names = "--runs", defaultValue = "200", description = "suspensions timed across two nodes, and as many for Jitsi "
      + "(default 200)")
  int runs;

  @Option(names = "--duration", defaultValue = "PT10S", description = "length of each timed load phase: recording uploads, "
      + "signalling closed loop, signalling at half rate (default PT10S)")
  Duration duration;

  @Option(names = "--recording-kbps", defaultValue = "1064", description = "the kiosk recorder's rate in kbit/s: call.js "
      + "asks MediaRecorder for 1000 video + 64 audio (default 1064; Chromium's own default without a bitrate is about 2628)")
  int kbps;

  @Option(names = "--recording-slice-ms", defaultValue = "1000", description = "the kiosk recorder's timeslice: call.js "
      + "uploads a chunk every second, the slice itself as an octet-stream body (default 1000)")
  int sliceMs;

  @Option(names = "--kiosks", defaultValue = "2", description = "kiosks uploading recording chunks at once (default 2)")
  int kiosks;

  @Override
  public Integer call() throws Exception {
    if (calls < 1 || calls > MAX_CALLS) {
      throw new ParameterException(spec.commandLine(), "--calls must be from 1 to " + MAX_CALLS);
    }
    if (runs < 1 || runs > 10_000) {
      throw new ParameterException(spec.commandLine(), "--runs must be from 1 to 10000");
    }
    if (duration.isNegative() || duration.toMillis() < 500 || duration.toMinutes() > 30) {
      throw new ParameterException(spec.commandLine(), "--duration must be from PT0.5S to PT30M");
    }
    if (kbps < 50 || kbps > 3500) {
      throw new ParameterException(spec.commandLine(), "--recording-kbps must be from 50 to 3500 (a one-second chunk, "
          + "with room for a key frame, must stay under the gateway's " + CallsModule.MAX_CHUNK_BYTES / 1024 + " KiB)");
    }
    if (sliceMs < 100 || sliceMs > 1000) {
      throw new ParameterException(spec.commandLine(), "--recording-slice-ms must be from 100 to 1000");
    }
    if (kiosks < 1 || kiosks > 64) {
      throw new ParameterException(spec.commandLine(), "--kiosks must be from 1 to 64");
    }
    String loadBefore = load();
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String est = "bench-calls-" + suffix;
    String jitsiEst = "bench-jitsi-" + suffix;
    Clock clock = morning();
    Vertx vertx = Vertx.vertx();
    List<String> lines = new ArrayList<>();
    JsonObject summary = new JsonObject().put("scenario", "calls").put("nodes", 2).put("load_before", loadBefore);
    Gateway a = null;
    Gateway b = null;
    try (CallsBenchProsody prosody = new CallsBenchProsody()) {
      GatewayConfig configA = config(Optional.empty(), prosody, jitsiEst);
      a = Gateway.start(configA, clock);
      GatewayConfig configB = config(Optional.of(a.embeddedRedis().url()), prosody, jitsiEst)
          .withRecordingsDir(Optional.of(configA.recordingsDirectory())); // every node sees the same recordings
      shareMasterKey(configA.dataDir(), configB.dataDir());
      b = Gateway.start(configB, clock);
      long heapBefore = heapAfterGc();
      WebClient onA = client(vertx, a);
      WebClient onB = client(vertx, b);
      CallsBenchFixtures fixtures = CallsBenchFixtures.create(a, vertx, est, configA.accessTokenTtl());

      long t0 = System.nanoTime();
      List<Call> booked = fixtures.bookMany(onA, calls, "MONITORED", CALL_MINUTES);
      fixtures.openDue();
      summary.put("setup_ms", (System.nanoTime() - t0) / 1_000_000);
      Joins joins = joins(onA, booked);
      summary.put("join", joins.json());
      lines.add(joins.line());

      Suspensions sus = suspensions(vertx, fixtures, onA, onB, b);
      summary.put("suspension_to_media_stopped", sus.json());
      lines.add(sus.line());

      Recording rec = recording(fixtures, onA, a);
      summary.put("recording", rec.json());
      lines.addAll(rec.lines());

      Signalling sig = signalling(vertx, a, booked, joins, heapBefore);
      summary.put("signalling", sig.json());
      lines.add(sig.line());

      CallsBenchFixtures jitsi = CallsBenchFixtures.create(a, vertx, jitsiEst, configA.accessTokenTtl());
      JitsiEnds ends = jitsiEnds(jitsi, onA, onB, prosody);
      summary.put("jitsi_end_meeting", ends.json());
      lines.add(ends.line());
    } finally {
      Gateway.await(vertx.close());
      if (b != null) {
        b.close();
      }
      if (a != null) {
        a.close();
      }
    }
    String loadAfter = load();
    summary.put("load_after", loadAfter);
    lines.add("load average (1, 5, 15 min; other work on this machine counts): before " + loadBefore + ", after " + loadAfter);
    lines.add(summary.encode());
    // printed after the nodes stopped, so their shutdown log does not come after the summary
    var out = spec.commandLine().getOut();
    lines.forEach(out::println);
    out.flush();
    return 0;
  }

  // ---------------------------------------------------------------- 1. joins

  /** A participant's join answer: who, and the signalling ticket for {@code call.join}. */
  private record Ticket(String participantId, String socketToken, String ticket) {}

  private record Joins(long[] joins, long[] redeems, long[] reads, Map<String, List<Ticket>> tickets) {
    JsonObject json() {
      return new JsonObject().put("join", LatencySummary.of("join", joins, joins.length, 0, 1, sum(joins)))
          .put("child_link_redeem", LatencySummary.of("redeem", redeems, redeems.length, 0, 1, sum(redeems)))
          .put("get_call_for_scale", LatencySummary.of("get-call", reads, reads.length, 0, 1, sum(reads)));
    }

    String line() {
      JsonObject j = json();
      return "join request -> join answer (OPEN calls, a fresh JOIN_CALL decision each): " + pp(j.getJsonObject("join"))
          + " over " + joins.length + " joins; a child's one-time link redeemed: " + pp(j.getJsonObject("child_link_redeem"))
          + " over " + redeems.length + "; for scale, GET /calls/{id}: " + pp(j.getJsonObject("get_call_for_scale"));
    }
  }

  /** Every participant of every call joins once, one request at a time, timed from request to answer. */
  private static Joins joins(WebClient http, List<Call> booked) {
    List<Long> joins = new ArrayList<>();
    List<Long> redeems = new ArrayList<>();
    List<Long> reads = new ArrayList<>();
    Map<String, List<Ticket>> tickets = new ConcurrentHashMap<>();
    for (Call c : booked) {
      List<Ticket> mine = new ArrayList<>();
      for (Person p : c.accounts()) {
        long t0 = System.nanoTime();
        JsonObject answer = ok(http.post("/api/v1/calls/" + c.id() + "/join").putHeader("Authorization", "Bearer " + p.token())
            .sendJsonObject(new JsonObject()), 200, "join");
        joins.add(System.nanoTime() - t0);
        mine.add(new Ticket(p.id(), p.token(), answer.getJsonObject("join").getString("ticket")));
      }
      if (c.childId() != null) {
        String link = await(CallsBenchFixtures.link(http, c));
        long t0 = System.nanoTime();
        JsonObject answer = ok(http.post("/api/v1/join/" + link).sendJsonObject(new JsonObject()
            .put("device_id", "bench-tablet-" + UUID.randomUUID())), 200, "redeem");
        redeems.add(System.nanoTime() - t0);
        String ticket = answer.getJsonObject("join").getString("ticket");
        mine.add(new Ticket(c.childId(), ticket, ticket)); // a child's socket signs in with her ticket
      }
      tickets.put(c.id(), mine);
      long t0 = System.nanoTime();
      ok(http.get("/api/v1/calls/" + c.id()).putHeader("Authorization", "Bearer " + c.accounts().get(0).token()).send(), 200,
          "get call");
      reads.add(System.nanoTime() - t0);
    }
    return new Joins(longs(joins), longs(redeems), longs(reads), tickets);
  }

  // ---------------------------------------------------------------- 2. suspension across two nodes

  private record Suspensions(long[] lastStopped, long[] firstStopped, long[] acks, int participants, int missing,
      Map<String, Integer> why, long elapsed) {
    JsonObject json() {
      int ok = lastStopped.length;
      return new JsonObject().put("target_ms", 1000).put("runs", ok + missing).put("participants", participants)
          .put("last_participant", LatencySummary.of("suspend-to-last-ended", lastStopped, ok, missing, 1, elapsed))
          .put("first_participant", LatencySummary.of("suspend-to-first-ended", firstStopped, ok, missing, 1, elapsed))
          .put("api_ack_on_a", LatencySummary.of("suspend-ack", acks, acks.length, 0, 1, elapsed))
          .put("within_target", count(lastStopped, 1000)).put("why", new JsonObject(new TreeMap<String, Object>(why)));
    }

    String line() {
      JsonObject j = json();
      return "suspension through node A's API -> every participant's call-ended frame on node B (media stopped), to the last "
          + "participant: " + pp(j.getJsonObject("last_participant")) + ", max " + j.getJsonObject("last_participant")
          .getDouble("max_ms") + " ms over " + lastStopped.length + " runs (" + participants + " participants; "
          + j.getInteger("within_target") + " within the 1000 ms target, " + missing + " not ended in " + WAIT_SECONDS
          + " s); first participant " + pp(j.getJsonObject("first_participant")) + "; node A answered the suspension "
          + pp(j.getJsonObject("api_ack_on_a"));
    }
  }

  private Suspensions suspensions(Vertx vertx, CallsBenchFixtures f, WebClient onA, WebClient onB, Gateway b) {
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(64));
    List<Long> last = new ArrayList<>();
    List<Long> first = new ArrayList<>();
    List<Long> acks = new ArrayList<>();
    Map<String, Integer> why = new ConcurrentHashMap<>();
    int missing = 0;
    int participants = 0;
    long start = System.nanoTime();
    for (int run = 0; run < runs; run++) {
      Call c = f.book(onA, run % 2 == 1, "MONITORED", CALL_MINUTES);
      List<Peer> peers = new ArrayList<>();
      try {
        for (Ticket t : joinAll(onB, c)) {
          peers.add(await(Peer.connect(ws, b.port(), t, new Errors())));
        }
        participants += peers.size();
        await(peers.get(0).live.future());
        long t0 = System.nanoTime();
        ok(onA.post("/api/v1/contacts/" + c.contactId() + "/suspend").putHeader("Authorization", "Bearer " + f.officerToken)
            .sendJsonObject(new JsonObject().put("reason", "bench: disclosure during the call")), 200, "suspend");
        acks.add(System.nanoTime() - t0);
        try {
          List<Long> at = new ArrayList<>();
          for (Peer p : peers) {
            at.add(await(p.ended.future()));
            why.merge(String.valueOf(p.endedWhy), 1, Integer::sum);
          }
          last.add(at.stream().mapToLong(Long::longValue).max().orElseThrow() - t0);
          first.add(at.stream().mapToLong(Long::longValue).min().orElseThrow() - t0);
        } catch (IllegalStateException notEnded) {
          missing++;
        }
      } finally {
        peers.forEach(Peer::close);
      }
    }
    await(ws.close());
    return new Suspensions(longs(last), longs(first), longs(acks), participants / Math.max(1, runs), missing, why,
        System.nanoTime() - start);
  }

  /** Joins every participant of a call over {@code http}: accounts by {@code /join}, the child by her link. */
  private static List<Ticket> joinAll(WebClient http, Call c) {
    List<Ticket> out = new ArrayList<>();
    for (Person p : c.accounts()) {
      JsonObject answer = ok(http.post("/api/v1/calls/" + c.id() + "/join").putHeader("Authorization", "Bearer " + p.token())
          .sendJsonObject(new JsonObject()), 200, "join");
      out.add(new Ticket(p.id(), p.token(), answer.getJsonObject("join").getString("ticket")));
    }
    if (c.childId() != null) {
      String link = await(CallsBenchFixtures.link(http, c));
      String ticket = ok(http.post("/api/v1/join/" + link).sendJsonObject(new JsonObject().put("device_id", "bench-tablet-"
          + UUID.randomUUID())), 200, "redeem").getJsonObject("join").getString("ticket");
      out.add(new Ticket(c.childId(), ticket, ticket));
    }
    return out;
  }

  // ---------------------------------------------------------------- 3. recording

  /** The chunk a kiosk uploads: the slice as it is, as call.js sends it. */
  private static Future<HttpResponse<Buffer>> chunk(WebClient http, Call c, long seq, Buffer slice) {
    return http.post("/api/v1/calls/" + c.id() + "/recording/chunks?seq=" + seq + "&mime=video%2Fwebm%3Bcodecs%3Dvp8%2Copus")
        .putHeader("Authorization", "Bearer " + c.accounts().get(0).token()).putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(slice);
  }

  private record Recording(int kbps, int sliceMs, long chunks, long rawBytes, long storedBytes, long elapsedNanos, long[] latencies,
      int kiosks, double aesMbPerS, int failed, String oneSecondChunk, int slicesPerSecond, int sliceBytes) {
    double rawPerMinuteMb() {
      return kbps * 1000 / 8.0 * 60 / 1e6;
    }

    double storedRatio() {
      return rawBytes == 0 ? 0 : storedBytes / (double) rawBytes;
    }

    double mbPerS() {
      return elapsedNanos == 0 ? 0 : rawBytes / 1e6 / (elapsedNanos / 1e9);
    }

    JsonObject json() {
      return new JsonObject().put("recorder_kbps", kbps).put("one_second_chunk_answer", oneSecondChunk)
          .put("slices_per_second", slicesPerSecond).put("slice_bytes_mean", sliceBytes).put("chunks", chunks).put("raw_bytes", rawBytes)
          .put("raw_mb_per_minute", round(rawPerMinuteMb())).put("stored_to_raw", round(storedRatio()))
          .put("stored_mb_per_minute", round(rawPerMinuteMb() * storedRatio()))
          .put("kiosks", kiosks).put("gateway_mb_per_s", round(mbPerS()))
          .put("chunk_upload", LatencySummary.of("chunk", latencies, latencies.length, failed, kiosks, elapsedNanos))
          .put("aes_256_gcm_ceiling_mb_per_s_one_thread", round(aesMbPerS))
          .put("ratio_to_ceiling", aesMbPerS == 0 ? 0 : Math.round(mbPerS() / aesMbPerS * 10_000) / 10_000.0)
          .put("recordings_in_real_time", round(mbPerS() / (kbps * 1000 / 8.0 / 1e6)));
    }

    List<String> lines() {
      JsonObject j = json();
      return List.of("recording at " + kbps + " kbit/s (the kiosk's MediaRecorder): " + j.getDouble("raw_mb_per_minute")
          + " MB per minute recorded, " + j.getDouble("stored_mb_per_minute") + " MB per minute in the recordings dir (sealed chunk files: x"
          + j.getDouble("stored_to_raw") + "); a " + sliceMs + " ms chunk as call.js sends it (" + kbps * sliceMs / 8 / 1000 + " KB) answered "
          + oneSecondChunk + (slicesPerSecond * sliceMs > 1000 ? ", so the upload below sends " + slicesPerSecond + " slices a second of about "
              + sliceBytes / 1000 + " KB" : ""),
          "recording chunks sealed (AES-256-GCM) and stored through POST /calls/{id}/recording/chunks: " + j.getDouble("gateway_mb_per_s")
          + " MB/s with " + kiosks + " kiosks uploading back to back (chunk " + pp(j.getJsonObject("chunk_upload")) + ", "
          + failed + " refused), " + j.getDouble("recordings_in_real_time") + " recordings' worth in real time; raw AES-256-GCM on "
          + "this machine " + j.getDouble("aes_256_gcm_ceiling_mb_per_s_one_thread") + " MB/s on one thread (ratio "
          + j.getDouble("ratio_to_ceiling") + ")");
    }
  }

  private Recording recording(CallsBenchFixtures f, WebClient http, Gateway node) {
    int perSecond = kbps * 1000 / 8;
    List<Call> recorded = new ArrayList<>();
    for (int i = 0; i <= kiosks; i++) {
      recorded.add(f.book(http, false, "RECORDED", CALL_MINUTES));
    }
    f.openDue();
    for (Call c : recorded) {
      Person kiosk = c.accounts().get(0);
      ok(http.post("/api/v1/calls/" + c.id() + "/join").putHeader("Authorization", "Bearer " + kiosk.token())
          .sendJsonObject(new JsonObject()), 200, "kiosk join");
    }
    // what call.js sends: one chunk a timeslice (MediaRecorder.start(sliceMs)), on a call of its own
    Call probe = recorded.remove(recorded.size() - 1);
    byte[] second = new byte[(int) ((long) perSecond * sliceMs / 1000)];
    RANDOM.nextBytes(second);
    HttpResponse<Buffer> oneSecond = await(chunk(http, probe, 0, Buffer.buffer(second)));
    String probeAnswer = oneSecond.statusCode() == 200 ? "200"
        : oneSecond.statusCode() + " " + oneSecond.bodyAsJsonObject().getJsonObject("error", new JsonObject()).getString("code");
    // refused (over the chunk limit): the same bytes per second in slices under it (a shorter MediaRecorder timeslice);
    // slices vary around their mean (VP8 key frames are larger): eight sizes from 0.7x to 1.3x, random bytes as encoded media is
    int slices = oneSecond.statusCode() == 200 ? Math.max(1, 1000 / sliceMs)
        : (int) Math.ceil(perSecond * 1.3 / CallsModule.MAX_CHUNK_BYTES);
    int mean = perSecond / slices;
    List<Buffer> chunks = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int size = (int) (mean * (0.7 + 0.6 * i / 7.0));
      byte[] data = new byte[size];
      RANDOM.nextBytes(data);
      chunks.add(Buffer.buffer(data));
      sizes.add(size);
    }
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong bytes = new AtomicLong();
    AtomicLong count = new AtomicLong();
    AtomicInteger failed = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Future<Void>> uploaders = new ArrayList<>();
    long[] seqs = new long[recorded.size()];
    for (int i = 0; i < recorded.size(); i++) {
      uploaders.add(upload(http, recorded.get(i), chunks, sizes, i, seqs, end, latencies, bytes, count, failed));
    }
    await(Future.all(uploaders), duration.toSeconds() + WAIT_SECONDS);
    long elapsed = System.nanoTime() - start;
    // what the recordings dir holds for the first recording, chunk by chunk
    Call first = recorded.get(0);
    String rec = "rec-" + first.id().substring("call-".length()) + "-" + first.accounts().get(0).id();
    org.kinlink.gateway.calls.recording.ChunkFiles files =
        new org.kinlink.gateway.calls.recording.ChunkFiles(node.services().config().recordingsDirectory());
    long stored = 0;
    for (long s = 0; s < seqs[0]; s++) {
      try {
        stored += Files.size(files.path(rec, s));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    long raw = 0;
    for (long s = 0; s < seqs[0]; s++) {
      raw += sizes.get((int) (s % sizes.size()));
    }
    long total = bytes.get();
    long n = count.get();
    double aes = aesCeiling(mean, Math.max(1000, duration.toMillis() / 2));
    return new Recording(kbps, sliceMs, n, total, raw == 0 ? 0 : Math.round(stored * (total / (double) raw)), elapsed,
        longs(new ArrayList<>(latencies)), recorded.size(), aes, failed.get(), probeAnswer, slices, mean);
  }

  private static Future<Void> upload(WebClient http, Call c, List<Buffer> chunks, List<Integer> sizes, int kiosk, long[] seqs,
      long end, ConcurrentLinkedQueue<Long> latencies, AtomicLong bytes, AtomicLong count, AtomicInteger failed) {
    if (System.nanoTime() >= end) {
      return Future.succeededFuture();
    }
    long seq = seqs[kiosk];
    int which = (int) (seq % chunks.size());
    long t0 = System.nanoTime();
    return chunk(http, c, seq, chunks.get(which))
        .compose(r -> {
          if (r.statusCode() == 200) {
            latencies.add(System.nanoTime() - t0);
            bytes.addAndGet(sizes.get(which));
            count.incrementAndGet();
            seqs[kiosk] = seq + 1;
          } else {
            failed.incrementAndGet();
            if (failed.get() > 20) {
              return Future.failedFuture("recording chunks refused: " + r.statusCode() + " " + r.bodyAsString());
            }
          }
          return upload(http, c, chunks, sizes, kiosk, seqs, end, latencies, bytes, count, failed);
        });
  }

  /** Raw AES-256-GCM sealing of chunks of {@code size} bytes on this thread, for {@code millis}: MB/s. */
  private static double aesCeiling(int size, long millis) {
    try {
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      SecretKeySpec k = new SecretKeySpec(key, "AES");
      byte[] data = new byte[size];
      RANDOM.nextBytes(data);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      // warm up until the JIT has reached its AES-GCM intrinsics (as in a gateway that has run a while): quarter-second
      // windows until four in a row are no faster than the best by 10%, or 10 s
      double best = 0;
      int flat = 0;
      long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (flat < 4 && System.nanoTime() < warmUntil) {
        double rate = seal(cipher, k, data, 250);
        flat = rate > best * 1.1 ? 0 : flat + 1;
        best = Math.max(best, rate);
      }
      return seal(cipher, k, data, millis);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Seals {@code data} again and again for {@code millis}, a fresh nonce each time; MB/s. */
  private static double seal(Cipher cipher, SecretKeySpec k, byte[] data, long millis) throws GeneralSecurityException {
    byte[] nonce = new byte[12];
    long bytes = 0;
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      RANDOM.nextBytes(nonce);
      cipher.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
      cipher.doFinal(data);
      bytes += data.length;
    }
    return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  // ---------------------------------------------------------------- 4. signalling load on one node

  private record Signalling(int calls, int sockets, double closedPerS, long[] closed, int closedLost, double halfTarget,
      long[] half, int halfLost, long halfNanos, long closedNanos, long heapBefore, long heapAfter, Map<String, Integer> errors,
      long connectMs) {
    JsonObject json() {
      return new JsonObject().put("calls", calls).put("sockets", sockets).put("connect_ms", connectMs)
          .put("max_calls_allowed", MAX_CALLS)
          .put("closed_loop_frames_per_s", round(closedPerS))
          .put("closed_loop", LatencySummary.of("relay-closed-loop", closed, closed.length, closedLost, calls, closedNanos))
          .put("half_rate_target_per_s", round(halfTarget))
          .put("half_rate", LatencySummary.of("relay-half-rate", half, half.length, halfLost, calls, halfNanos))
          .put("heap_used_mb_before", heapBefore / 1_000_000).put("heap_used_mb_after", heapAfter / 1_000_000)
          .put("heap_per_call_kb", calls == 0 ? 0 : (heapAfter - heapBefore) / 1000 / calls)
          .put("error_frames", new JsonObject(new TreeMap<String, Object>(errors)));
    }

    String line() {
      JsonObject j = json();
      return "signalling on one node: " + calls + " concurrent calls, " + sockets + " sockets on /ws; offer/answer/ICE relayed "
          + j.getDouble("closed_loop_frames_per_s") + " frames/s closed loop (one frame in flight per call: "
          + pp(j.getJsonObject("closed_loop")) + "), at half that rate " + pp(j.getJsonObject("half_rate")) + " ("
          + (closedLost + halfLost) + " frames lost; kiosks kept their recorders alive with a 1 KB chunk every "
          + KEEP_ALIVE_MS / 1000 + " s); JVM heap after GC " + j.getLong("heap_used_mb_before") + " MB before the "
          + "calls, " + j.getLong("heap_used_mb_after") + " MB with them (both nodes and the bench's clients in one JVM, about "
          + j.getLong("heap_per_call_kb") + " KB a call); stopped at --calls " + calls + " (this bench allows at most "
          + MAX_CALLS + ", to keep the shared machine usable)";
    }
  }

  /** Every frame sent and not yet received, by the sequence number carried in its data, and what was received. */
  private static final class Relay {
    final ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
    final AtomicLong seq = new AtomicLong();
    volatile ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    /** Called with the receiving peer after each frame arrives (the closed loop sends the next from it). */
    volatile Consumer<Peer> onReceived = p -> {};

    void send(Peer from) {
      long s = seq.incrementAndGet();
      sentAt.put(s, System.nanoTime());
      from.signal(from.next.participantId, s);
    }

    void received(Peer at, JsonObject frame) {
      Long sent = sentAt.remove(frame.getJsonObject("data", new JsonObject()).getLong("bench_seq", -1L));
      if (sent != null) {
        latencies.add(System.nanoTime() - sent);
        onReceived.accept(at);
      }
    }
  }

  /**
   * Every call the policy allows is recorded (RECORDED, MONITORED and SUPERVISED contacts alike), and a
   * call whose kiosk sends no chunk for 10 s ends: the kiosks keep their recorders alive with a small
   * chunk every {@value #KEEP_ALIVE_MS} ms, as real media at this many calls is beyond one node (the recording figure).
   */
  private static final long KEEP_ALIVE_MS = 2000;

  private Signalling signalling(Vertx vertx, Gateway node, List<Call> booked, Joins joins, long heapBefore)
      throws InterruptedException {
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(MAX_CALLS * 3));
    Relay relay = new Relay();
    Errors errors = new Errors();
    byte[] tiny = new byte[1000];
    RANDOM.nextBytes(tiny);
    Buffer keepAlive = Buffer.buffer(tiny);
    Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();
    // their own connections, so that a keep-alive never waits behind another's
    WebClient kiosks = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.port())
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    long recorders = vertx.setPeriodic(0, KEEP_ALIVE_MS, id -> booked.forEach(c -> chunk(kiosks, c,
        seqs.computeIfAbsent(c.id(), k -> new AtomicLong()).getAndIncrement(), keepAlive)
        .onSuccess(r -> {
          if (r.statusCode() != 200) {
            errors.counts.merge("recording chunk " + r.statusCode(), 1, Integer::sum);
          }
        })));
    List<Peer> all = new ArrayList<>();
    List<Peer> starters = new ArrayList<>();
    long t0 = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    List<List<Peer>> byCall = new ArrayList<>();
    for (int i = 0; i < booked.size(); i++) {
      byCall.add(null);
    }
    for (int w = 0; w < 16; w++) {
      workers.add(connectCalls(ws, node.port(), booked, joins.tickets(), next, byCall, relay, errors));
    }
    await(Future.all(workers), WAIT_SECONDS + booked.size() / 10);
    long connectMs = (System.nanoTime() - t0) / 1_000_000;
    for (List<Peer> peers : byCall) {
      for (int i = 0; i < peers.size(); i++) {
        peers.get(i).next = peers.get((i + 1) % peers.size());
      }
      all.addAll(peers);
      starters.add(peers.get(0));
    }
    try {
      // closed loop: one frame in flight per call, passed round the call's participants
      ConcurrentLinkedQueue<Long> closed = new ConcurrentLinkedQueue<>();
      relay.latencies = closed;
      long nanos = duration.toNanos();
      long end = System.nanoTime() + nanos;
      relay.onReceived = p -> {
        if (System.nanoTime() < end) {
          relay.send(p);
        }
      };
      long start = System.nanoTime();
      vertx.runOnContext(v -> starters.forEach(relay::send));
      TimeUnit.NANOSECONDS.sleep(nanos);
      long closedNanos = System.nanoTime() - start;
      int delivered = closed.size();
      long[] closedLat = longs(new ArrayList<>(closed)); // at the deadline: what arrives later is not in the rate
      drain(relay);
      int closedLost = relay.sentAt.size();
      relay.sentAt.clear();
      double rate = delivered * 1e9 / closedNanos;

      // open loop at about half that rate, whatever the answers: each call's participants take turns on a timer of the
      // call's own (as each browser trickles its own candidates), so no single thread sends the whole load in bursts
      ConcurrentLinkedQueue<Long> half = new ConcurrentLinkedQueue<>();
      relay.latencies = half;
      relay.onReceived = p -> {};
      long period = Math.max(1, Math.round(1000.0 * byCall.size() / Math.max(1, rate / 2)));
      double halfRate = byCall.size() * 1000.0 / period;
      long halfStart = System.nanoTime();
      List<Long> timers = new ArrayList<>();
      for (List<Peer> peers : byCall) {
        AtomicLong turn = new AtomicLong();
        timers.add(vertx.setPeriodic(RANDOM.nextInt((int) period) + 1, period,
            id -> relay.send(peers.get((int) (turn.getAndIncrement() % peers.size())))));
      }
      TimeUnit.NANOSECONDS.sleep(nanos);
      timers.forEach(vertx::cancelTimer);
      drain(relay);
      long halfNanos = System.nanoTime() - halfStart;
      int halfLost = relay.sentAt.size();
      long heapAfter = heapAfterGc();
      all.stream().filter(p -> p.ended.future().isComplete()).forEach(p -> errors.counts.merge("ended " + p.endedWhy, 1, Integer::sum));
      return new Signalling(booked.size(), all.size(), rate, closedLat, closedLost, halfRate, longs(new ArrayList<>(half)),
          halfLost, halfNanos, closedNanos, heapBefore, heapAfter, errors.counts, connectMs);
    } finally {
      vertx.cancelTimer(recorders);
      kiosks.close();
      all.forEach(Peer::close);
      await(ws.close());
    }
  }

  private static Future<Void> connectCalls(WebSocketClient ws, int port, List<Call> booked, Map<String, List<Ticket>> tickets,
      AtomicInteger next, List<List<Peer>> byCall, Relay relay, Errors errors) {
    int i = next.getAndIncrement();
    if (i >= booked.size()) {
      return Future.succeededFuture();
    }
    List<Ticket> mine = tickets.get(booked.get(i).id());
    List<Peer> peers = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Ticket t : mine) {
      chain = chain.compose(v -> Peer.connect(ws, port, t, errors)).map(p -> {
        p.onSignal = f -> relay.received(p, f);
        peers.add(p);
        return null;
      });
    }
    return chain.compose(v -> {
      byCall.set(i, peers);
      return connectCalls(ws, port, booked, tickets, next, byCall, relay, errors);
    });
  }

  /** Waits up to 5 s for the frames still in flight. */
  private static void drain(Relay relay) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!relay.sentAt.isEmpty() && System.nanoTime() < until) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  // ---------------------------------------------------------------- 5. Jitsi end-meeting across nodes

  private record JitsiEnds(long[] crossNode, int crossMissing, long[] sameNode, int sameMissing, long elapsed) {
    JsonObject json() {
      return new JsonObject().put("target_ms", 1000)
          .put("joined_on_b_changed_on_a", LatencySummary.of("suspend-to-end-meeting-cross-node", crossNode, crossNode.length,
              crossMissing, 1, elapsed))
          .put("joined_on_a_changed_on_a", LatencySummary.of("suspend-to-end-meeting-same-node", sameNode, sameNode.length,
              sameMissing, 1, elapsed));
    }

    String line() {
      JsonObject j = json();
      return "jitsi: suspension through node A's API -> end-meeting request at prosody: call joined on node B "
          + pp(j.getJsonObject("joined_on_b_changed_on_a")) + ", " + crossNode.length + " of " + (crossNode.length + crossMissing)
          + " requests arrived within " + JITSI_WAIT_MS + " ms; joined on node A " + pp(j.getJsonObject("joined_on_a_changed_on_a"))
          + ", " + sameNode.length + " of " + (sameNode.length + sameMissing) + " arrived"
          + (crossMissing + sameMissing > 0 ? " (a missing request: the node that ended the call had not created its room, "
              + "so it did not know the call was on Jitsi)" : "");
    }
  }

  private static final long JITSI_WAIT_MS = 2000;

  private JitsiEnds jitsiEnds(CallsBenchFixtures f, WebClient onA, WebClient onB, CallsBenchProsody prosody)
      throws InterruptedException {
    List<Long> cross = new ArrayList<>();
    List<Long> same = new ArrayList<>();
    int crossMissing = 0;
    int sameMissing = 0;
    long start = System.nanoTime();
    for (int run = 0; run < runs; run++) {
      boolean onOther = run % 2 == 0;
      Call c = jitsiCall(f, onA);
      WebClient joinOn = onOther ? onB : onA;
      for (Person p : c.accounts()) {
        ok(joinOn.post("/api/v1/calls/" + c.id() + "/join").putHeader("Authorization", "Bearer " + p.token())
            .sendJsonObject(new JsonObject()), 200, "jitsi join");
      }
      String room = c.id().toLowerCase(java.util.Locale.ROOT);
      long t0 = System.nanoTime();
      ok(onA.post("/api/v1/contacts/" + c.contactId() + "/suspend").putHeader("Authorization", "Bearer " + f.officerToken)
          .sendJsonObject(new JsonObject().put("reason", "bench: disclosure during the call")), 200, "suspend");
      long until = t0 + TimeUnit.MILLISECONDS.toNanos(JITSI_WAIT_MS);
      while (!prosody.endedAt.containsKey(room) && System.nanoTime() < until) {
        TimeUnit.MICROSECONDS.sleep(200);
      }
      Long at = prosody.endedAt.get(room);
      if (at == null) {
        if (onOther) {
          crossMissing++;
        } else {
          sameMissing++;
        }
      } else {
        (onOther ? cross : same).add(at - t0);
      }
    }
    return new JitsiEnds(longs(cross), crossMissing, longs(same), sameMissing, System.nanoTime() - start);
  }

  /** A recorded two-party call on the Jitsi establishment; the first waits until a Jibri health answer made RECORD possible. */
  private static Call jitsiCall(CallsBenchFixtures f, WebClient http) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        return f.book(http, false, "RECORDED", CALL_MINUTES);
      } catch (IllegalStateException refused) {
        if (System.nanoTime() > until) {
          throw refused;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  // ---------------------------------------------------------------- sockets

  /** Error frames by code, over every socket of a phase. */
  private static final class Errors {
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
  }

  /** One participant's signalling socket on /ws, used as the in-call page uses it. */
  private static final class Peer {
    final String participantId;
    final WebSocket ws;
    final Promise<Void> ready = Promise.promise();
    final Promise<JsonObject> joined = Promise.promise();
    final Promise<Void> live = Promise.promise();
    /** {@link System#nanoTime()} when the call-ended frame arrived (what makes the page stop its tracks). */
    final Promise<Long> ended = Promise.promise();
    volatile String endedWhy;
    volatile Consumer<JsonObject> onSignal = f -> {};
    volatile Peer next;
    volatile String callId;

    private Peer(String participantId, WebSocket ws, Errors errors) {
      this.participantId = participantId;
      this.ws = ws;
      ws.textMessageHandler(text -> {
        JsonObject f = new JsonObject(text);
        switch (String.valueOf(f.getString("type"))) {
          case "ready" -> ready.tryComplete();
          case "call.joined" -> joined.tryComplete(f);
          case "call.signal" -> onSignal.accept(f);
          case "call.state" -> {
            if ("LIVE".equals(f.getString("state"))) {
              live.tryComplete();
            } else if ("ENDED".equals(f.getString("state"))) {
              long at = System.nanoTime();
              endedWhy = f.getString("why");
              ended.tryComplete(at);
            }
          }
          case "error" -> {
            String code = f.getJsonObject("error", new JsonObject()).getString("code", "?");
            if (!ready.tryFail("socket sign-in refused: " + text) && !joined.tryFail("call.join refused: " + text)) {
              errors.counts.merge(code, 1, Integer::sum);
            }
          }
          default -> { }
        }
      });
      ws.closeHandler(v -> {
        ready.tryFail("socket closed");
        joined.tryFail("socket closed");
      });
    }

    static Future<Peer> connect(WebSocketClient client, int port, Ticket t, Errors errors) {
      return client.connect(port, "127.0.0.1", "/ws").compose(ws -> {
        Peer p = new Peer(t.participantId(), ws, errors);
        ws.writeTextMessage(new JsonObject().put("type", "auth").put("access_token", t.socketToken()).encode());
        return p.ready.future().compose(v -> {
          ws.writeTextMessage(new JsonObject().put("type", "call.join").put("ticket", t.ticket()).encode());
          return p.joined.future();
        }).map(j -> {
          p.callId = j.getString("call_id");
          return p;
        });
      });
    }

    /** An ICE candidate, and every tenth frame an SDP offer of the size browsers make (about 4 KB). */
    void signal(String to, long seq) {
      JsonObject data = seq % 10 == 0
          ? new JsonObject().put("sdp", new JsonObject().put("type", "offer").put("sdp", SDP))
          : new JsonObject().put("ice", new JsonObject().put("candidate", "candidate:842163049 1 udp 1677729535 203.0.113."
              + (seq % 250) + " " + (40000 + seq % 20000) + " typ srflx raddr 10.0.0.5 rport 61532 generation 0 ufrag Wq3c "
              + "network-cost 999").put("sdpMid", "0").put("sdpMLineIndex", 0));
      ws.writeTextMessage(new JsonObject().put("type", "call.signal").put("call_id", callId).put("to", to)
          .put("data", data.put("bench_seq", seq)).encode());
    }

    void close() {
      ws.close();
    }
  }

  private static final String SDP = sdp();

  private static String sdp() {
    StringBuilder s = new StringBuilder("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        + "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS stream\r\n");
    for (String m : List.of("audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107")) {
      s.append("m=").append(m).append("\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Wq3c\r\n")
          .append("a=ice-pwd:9bN2oZ0yq0Ryq6f1vPq8wX1a\r\na=ice-options:trickle\r\n")
          .append("a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n")
          .append("a=setup:actpass\r\na=sendrecv\r\na=rtcp-mux\r\n");
      for (int pt = 0; pt < 14; pt++) {
        s.append("a=rtpmap:").append(96 + pt).append(" VP8/90000\r\na=rtcp-fb:").append(96 + pt)
            .append(" goog-remb\r\na=rtcp-fb:").append(96 + pt).append(" transport-cc\r\na=rtcp-fb:").append(96 + pt)
            .append(" nack pli\r\n");
      }
    }
    return s.toString();
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The nodes' clock: the real one moved to 09:00 UK time of the next day, so calls booked "now" for
   * an hour always fall in one day's call hours whenever the bench runs; it ticks at the real pace.
   */
  private static Clock morning() {
    Instant now = Instant.now();
    ZonedDateTime target = now.atZone(CallSettings.LONDON).plusDays(1).with(LocalTime.of(9, 0));
    return Clock.offset(Clock.systemUTC(), Duration.between(now, target.toInstant()));
  }

  /** A node on a fresh data dir whose media file puts {@code jitsiEst} on the loopback prosody; connection caps raised for the bench's sockets. */
  private static GatewayConfig config(Optional<String> redis, CallsBenchProsody prosody, String jitsiEst) throws IOException {
    GatewayConfig c = PolicyPropagationBench.config(redis);
    Files.writeString(c.dataDir().resolve("media.yaml"), prosody.mediaYaml(jitsiEst));
    return c.withHttp(c.http().withConnections(c.http().idleTimeout(), c.http().headerTimeout(), 20_000, 20_000));
  }

  /** Every node must open what another sealed: the second node gets the first one's master key. */
  private static void shareMasterKey(Path from, Path to) throws IOException {
    Path key = from.resolve("keys").resolve("master.key");
    if (Files.exists(key)) {
      Files.createDirectories(to.resolve("keys"));
      Files.copy(key, to.resolve("keys").resolve("master.key"), StandardCopyOption.COPY_ATTRIBUTES,
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static WebClient client(Vertx vertx, Gateway g) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(g.port()).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(8));
  }

  private static JsonObject ok(Future<HttpResponse<Buffer>> request, int status, String what) {
    HttpResponse<Buffer> r = await(request);
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    return r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
  }

  private static <T> T await(Future<T> f) {
    return await(f, WAIT_SECONDS);
  }

  private static <T> T await(Future<T> f, long seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s", e);
    }
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String pp(JsonObject latency) {
    return "p50 " + latency.getDouble("p50_ms") + " ms, p99 " + latency.getDouble("p99_ms") + " ms";
  }

  private static long[] longs(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }

  private static int count(long[] nanos, long millis) {
    int n = 0;
    for (long v : nanos) {
      if (v < millis * 1_000_000) {
        n++;
      }
    }
    return n;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
