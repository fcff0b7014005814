package org.kinlink.gateway.jitsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.audit.RedisAuditLog;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.calls.recording.ChunkFiles;
import org.kinlink.gateway.calls.recording.RecordingStore;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.media.Admission;
import org.kinlink.media.ConferenceSpec;
import org.kinlink.media.EndReason;
import org.kinlink.media.Participant;
import org.kinlink.media.ParticipantEvent;
import org.kinlink.media.ParticipantRole;
import org.kinlink.media.jitsi.JitsiConfig;
import org.kinlink.media.jitsi.JitsiKeys;
import org.kinlink.media.jitsi.JitsiMediaBackend;
import org.kinlink.media.jitsi.JitsiTokens;
import org.kinlink.media.jitsi.JitsiUnavailable;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.policy.model.ObligationType;

/** The Jitsi backend and the endpoints Jitsi calls, against loopback fakes of prosody and Jibri. */
@SuppressWarnings("unchecked")
class JitsiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  static final String SECRET = "reservation-secret-0123456789abcdef";

  static FakeJitsi jitsi;
  static HttpServer gateway;
  static String gw;
  static JitsiMediaBackend media;
  static final Map<String, RoomAuthority.Verdict> verdicts = new ConcurrentHashMap<>();
  static final HttpClient http = HttpClient.newHttpClient();
  static MasterKey masterKey;
  static ChunkFiles files;

  @BeforeAll
  static void start() throws Exception {
    Vertx vertx = kinlink.vertx();
    // the fake needs the gateway's address and the gateway the fake's: bind the gateway first
    Router router = Router.router(vertx);
    gateway = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    gw = "http://127.0.0.1:" + gateway.actualPort();
    jitsi = new FakeJitsi(vertx, kinlink.clock(), gw + "/jitsi/keys/system", gw + "/jitsi/keys/login");
    JitsiConfig config = JitsiConfig.parse(Map.of("backend", "jitsi", "jitsi", Map.of(
        "base_url", "https://meet.example.org", "prosody_http_url", jitsi.url(), "jibri_urls", List.of(jitsi.url()),
        "token_minutes", 3))).orElseThrow();
    JitsiTokens tokens = new JitsiTokens(vertx, config, JitsiKeys.generate(config.loginKid()),
        JitsiKeys.generate(config.systemKid()), kinlink.clock());
    media = new JitsiMediaBackend(config, tokens, HttpClient.newHttpClient(), kinlink.clock(), Duration.ofMinutes(2));
    RoomAuthority rooms = (room, now) -> Future.succeededFuture(
        verdicts.getOrDefault(room, RoomAuthority.Verdict.refuse(null, null, "There is no call for this room.")));
    // the audit chain alone (not a whole gateway): the endpoints only append to it
    RedisAuditLog audit = new RedisAuditLog(kinlink.redis(), Keys.AUDIT, kinlink.clock());
    audit.start(Duration.ofSeconds(5)).await();
    masterKey = MasterKey.of(Aead.newKey());
    files = new ChunkFiles(kinlink.recordingsDir());
    new JitsiModule(vertx, media, rooms, kinlink.redis(), new RecordingStore(vertx, kinlink.redis(), files), masterKey, audit,
        kinlink.clock(), SECRET)
        .mountExtra(router);
  }

  @AfterAll
  static void stop() {
    jitsi.close();
    gateway.close();
  }

  static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static String call(String suffix) {
    return "call-" + java.util.UUID.randomUUID() + suffix;
  }

  static ConferenceSpec spec(String callId, boolean supervised, boolean record) {
    return new ConferenceSpec(callId, Set.of("HMP-A"), supervised ? Set.of(SupervisorRole.CARER) : Set.of(), record,
        kinlink.clock().instant().plus(Duration.ofMinutes(30)));
  }

  static JsonObject claims(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  @Test
  void aLoginTokenCarriesEveryClaimProsodyNeedsAndIsRefusedOnceExpired() throws Exception {
    String callId = call("");
    await(media.create(spec(callId, false, false)));
    Admission a = await(media.admit(callId, new Participant("pr-1", "Ann Smith", ParticipantRole.PRISONER)));
    assertEquals("jitsi", a.backend());
    String token = (String) a.join().get("jwt");
    assertNull(jitsi.verify(token, gw + "/jitsi/keys/login"), "prosody accepts the token against the published key");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
    assertEquals("RS256", header.getString("alg"));
    assertEquals("kinlink-login-1", header.getString("kid"));
    JsonObject c = claims(token);
    long now = kinlink.clock().instant().getEpochSecond();
    assertEquals("kinlink", c.getString("iss"));
    assertEquals("kinlink-jitsi", c.getValue("aud"), "aud is one string");
    assertEquals("meet.jitsi", c.getString("sub"));
    assertEquals(callId, c.getString("room"));
    assertTrue(Math.abs(c.getLong("nbf") - now) <= 1);
    assertEquals(180, c.getLong("exp") - c.getLong("nbf"));
    JsonObject user = c.getJsonObject("context").getJsonObject("user");
    assertEquals("pr-1", user.getString("id"));
    assertEquals("Ann Smith", user.getString("name"));
    assertFalse(user.getBoolean("moderator"), "a prisoner never moderates");
    JsonObject features = c.getJsonObject("context").getJsonObject("features");
    assertFalse(features.getBoolean("recording"));
    assertFalse(features.getBoolean("livestreaming"));
    assertEquals("wss://meet.example.org/xmpp-websocket?room=" + callId, a.join().get("service_url"));
    assertEquals("https://meet.example.org/libs/lib-jitsi-meet.min.js", a.join().get("library_url"));

    Admission staff = await(media.admit(callId, new Participant("st-9", "Officer Jones", ParticipantRole.ADULT)));
    assertTrue(claims((String) staff.join().get("jwt")).getJsonObject("context").getJsonObject("user").getBoolean("moderator"));

    kinlink.clock().advance(Duration.ofMinutes(4));
    assertEquals("expired", jitsi.verify(token, gw + "/jitsi/keys/login"));
  }

  @Test
  void endMeetingWithASystemTokenTreats404AsDoneAndRetries5xxThenRaises() throws Exception {
    String callId = call("");
    await(media.create(spec(callId, false, false)));
    await(media.end(callId, EndReason.ENDED_BY_STAFF));
    assertTrue(jitsi.ended.contains(callId + "@muc.meet.jitsi"), "prosody verified the system token and ended the room");

    jitsi.endAnswers.add(404);
    await(media.end(call(""), EndReason.TIME_UP)); // already gone: success

    String flaky = call("");
    jitsi.endAnswers.addAll(List.of(503, 502));
    await(media.end(flaky, EndReason.ENDED_BY_POLICY));
    assertTrue(jitsi.ended.contains(flaky + "@muc.meet.jitsi"), "retried until prosody answered 200");

    String down = call("");
    jitsi.endAnswers.addAll(List.of(500, 500, 500, 500));
    Exception e = assertThrows(Exception.class, () -> await(media.end(down, EndReason.TIME_UP)));
    assertTrue(e.getCause() instanceof JitsiUnavailable, e.toString());
    assertTrue(media.endFailures().containsKey(down), "raised for readiness and staff");
  }

  @Test
  void prosodyRefusesForgedExpiredWrongKidAndHs256TokensAndAKickWithACharset() throws Exception {
    String system = gw + "/jitsi/keys/system";
    assertNull(jitsi.verify(media.tokens().system(), system));
    // forged: same kid, another key
    JitsiTokens forger = new JitsiTokens(kinlink.vertx(), media.config(), JitsiKeys.generate("kinlink-login-1"),
        JitsiKeys.generate("kinlink-system-1"), kinlink.clock());
    assertNotNull(jitsi.verify(forger.system(), system));
    // wrong kid: no key published under it
    JitsiTokens otherKid = new JitsiTokens(kinlink.vertx(), media.config(), JitsiKeys.generate("a"),
        JitsiKeys.generate("unknown-kid"), kinlink.clock());
    assertTrue(jitsi.verify(otherKid.system(), system).startsWith("no key"));
    // the login key is not a system key
    assertNotNull(jitsi.verify(media.tokens().system(), gw + "/jitsi/keys/login"));
    // HS256
    String hs = JWTAuth.create(kinlink.vertx(), new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer("a-shared-secret-of-some-length"))).generateToken(
        new JsonObject().put("sub", "meet.jitsi").put("exp", Instant.now().getEpochSecond() + 60),
        new JWTOptions().setAlgorithm("HS256").setHeader(new JsonObject().put("kid", "kinlink-system-1")));
    assertEquals("alg HS256", jitsi.verify(hs, system));
    // expired
    String old = media.tokens().system();
    kinlink.clock().advance(Duration.ofMinutes(2));
    assertEquals("expired", jitsi.verify(old, system));
    int expired = http.send(HttpRequest.newBuilder(URI.create(jitsi.url() + "/end-meeting?conference=x@muc.meet.jitsi"))
        .header("Authorization", "Bearer " + old).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
    assertEquals(401, expired);

    int charset = http.send(HttpRequest.newBuilder(URI.create(jitsi.url() + "/kick-participant?room=r"))
        .header("Authorization", "Bearer " + media.tokens().system()).header("Content-Type", "application/json; charset=utf-8")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"participantId\":\"abc\"}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    assertEquals(400, charset);

    // the backend's own kick passes: exact content type, good token
    String callId = call("");
    await(media.create(spec(callId, false, false)));
    await(media.admit(callId, new Participant("pe-2", "Bob", ParticipantRole.ADULT)));
    postEvent("/occupant/joined", callId, "pe-2", callId + "@muc.meet.jitsi/bob0nick");
    await(media.remove(callId, "pe-2"));
    assertTrue(jitsi.kicked.contains("bob0nick"));
  }

  static HttpResponse<String> reserve(String form, String secret) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gw + "/jitsi/reservations/conference"))
        .header("Authorization", "Bearer " + secret).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gw + path)).header("Authorization", "Bearer " + SECRET).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void prosodysReservationCheckOpensOnlyAnOpenCallsRoomUntilEndBy() throws Exception {
    String open = call("");
    Instant endBy = kinlink.clock().instant().plus(Duration.ofMinutes(25));
    verdicts.put(open, RoomAuthority.Verdict.allow(open, "HMP-A", endBy));
    String form = "name=" + open + "&start_time=2026-08-20T14:03:57.000Z&mail_owner=abc%40meet.jitsi%2Fxyz";

    assertEquals(401, reserve(form, "wrong-secret").statusCode());
    HttpResponse<String> ok = reserve(form, SECRET);
    assertEquals(200, ok.statusCode(), ok.body());
    JsonObject r = new JsonObject(ok.body());
    assertEquals(open, r.getString("name"));
    assertTrue(r.getString("start_time").endsWith("Z"));
    long duration = r.getLong("duration");
    assertTrue(Math.abs(duration - Duration.ofMinutes(25).toSeconds()) <= 2, "duration runs to END_BY: " + duration);
    assertNotNull(r.getValue("id"));
    assertEquals("abc@meet.jitsi/xyz", r.getString("mail_owner"));

    // a replay has no second effect: prosody gets a 409 and follows it to the same reservation
    HttpResponse<String> again = reserve(form, SECRET);
    assertEquals(409, again.statusCode());
    long conflict = new JsonObject(again.body()).getLong("conflict_id");
    assertEquals(r.getValue("id").toString(), String.valueOf(conflict));
    assertEquals(r, new JsonObject(get("/jitsi/reservations/conference/" + conflict).body()));

    HttpResponse<String> unknown = reserve("name=" + call("") + "&start_time=2026-08-20T14:03:57.000Z&mail_owner=x", SECRET);
    assertEquals(403, unknown.statusCode());
    assertEquals("There is no call for this room.", new JsonObject(unknown.body()).getString("message"));
    String notOpen = call("");
    verdicts.put(notOpen, RoomAuthority.Verdict.refuse(notOpen, "HMP-A", "The call is not open yet."));
    assertEquals(403, reserve("name=" + notOpen + "&start_time=2026-08-20T14:03:57.000Z&mail_owner=x", SECRET).statusCode());

    String fresh = call("");
    verdicts.put(fresh, RoomAuthority.Verdict.allow(fresh, "HMP-A", endBy));
    assertEquals(400, reserve("name=" + fresh + "&start_time=2026-08-20T14:03:57&mail_owner=x", SECRET).statusCode(),
        "a time without Z");
    assertEquals(400, reserve("start_time=2026-08-20T14:03:57.000Z&mail_owner=x", SECRET).statusCode());
    // the malformed ones changed nothing: the room's first good request is a first reservation
    assertEquals(200, reserve("name=" + fresh + "&start_time=2026-08-20T14:03:57.000Z&mail_owner=x", SECRET).statusCode());

    HttpResponse<String> del = http.send(HttpRequest.newBuilder(URI.create(gw + "/jitsi/reservations/conference/" + conflict))
        .header("Authorization", "Bearer " + SECRET).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, del.statusCode());
    assertEquals(404, get("/jitsi/reservations/conference/" + conflict).statusCode());
  }

  static void postEvent(String path, String room, String userId, String occupantJid) throws Exception {
    JsonObject b = new JsonObject().put("event_name", path.endsWith("joined") ? "muc-occupant-joined" : "muc-occupant-left")
        .put("room_name", room).put("room_jid", room + "@muc.meet.jitsi").put("is_breakout", false)
        .put("occupant", new JsonObject().put("id", userId).put("occupant_jid", occupantJid).put("name", "x"));
    int s = http.send(HttpRequest.newBuilder(URI.create(gw + "/jitsi/events" + path)).header("Authorization", "Bearer " + SECRET)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(b.encode())).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
    assertEquals(200, s);
  }

  @Test
  void aSupervisedCallAdmitsNoChildUntilProsodySaysTheSupervisorIsIn() throws Exception {
    String callId = call("");
    await(media.create(spec(callId, true, false)));
    await(media.admit(callId, new Participant("pe-sup", "Carer", ParticipantRole.SUPERVISOR)));
    Participant child = new Participant("ch-1", "Child", ParticipantRole.CHILD);
    assertThrows(Exception.class, () -> await(media.admit(callId, child)), "presence not known yet: fail closed");
    postEvent("/occupant/joined", callId, "pe-sup", callId + "@muc.meet.jitsi/sup1");
    assertEquals(Set.of("pe-sup"), await(media.present(callId)));
    assertNotNull(await(media.admit(callId, child)).join().get("jwt"));
    postEvent("/occupant/joined", callId, "ch-1", callId + "@muc.meet.jitsi/kid1");
    postEvent("/occupant/left", callId, "pe-sup", callId + "@muc.meet.jitsi/sup1");
    Eventually.await("the child leaves with the supervisor", Duration.ofSeconds(5), () -> jitsi.kicked.contains("kid1"));
    assertThrows(Exception.class, () -> await(media.admit(callId, child)));
    kinlink.clock().advance(Duration.ofMinutes(3));
    assertTrue(media.check(kinlink.clock().instant()).stream()
        .anyMatch(e -> e.kind() == ParticipantEvent.Kind.SUPERVISOR_GONE_TOO_LONG && e.callId().equals(callId)));
  }

  @Test
  void jibriRecordsAfterItsOnWebhookAndAnOffMidCallIsReportedOnce() throws Exception {
    String webhooks = gw + "/jitsi/jibri/" + SECRET;
    await(media.pollRecorders());
    assertTrue(media.enforceableNow("HMP-A").contains(ObligationType.RECORD));
    String callId = call("");
    await(media.create(spec(callId, false, true)));
    var started = media.startRecording(callId).toCompletableFuture();
    Eventually.await("Jibri asked to start", Duration.ofSeconds(5), () -> session(callId) != null);
    assertFalse(started.isDone(), "200 from startService means only 'will try': wait for ON");
    String session = session(callId);
    assertEquals("hidden.meet.jitsi", jitsi.jibriStarts.get(jitsi.jibriStarts.size() - 1)
        .getJsonObject("callLoginParams").getString("domain"));
    assertEquals(200, jitsi.postSession(webhooks, session, "on"), "enum names match case-insensitively");
    started.get(5, TimeUnit.SECONDS);
    assertEquals(200, jitsi.postSession(webhooks, session, "ON"), "a replay is taken without a second effect");
    assertEquals(401, jitsi.postSession(gw + "/jitsi/jibri/not-the-secret", session, "OFF"));

    // busy: a second recorded call cannot open, with a reason for staff; startService is not called
    int starts = jitsi.jibriStarts.size();
    String second = call("");
    await(media.create(spec(second, false, true)));
    Exception busy = assertThrows(Exception.class, () -> await(media.startRecording(second)));
    assertTrue(busy.getCause().getMessage().contains("No recorder is free"), busy.getCause().getMessage());
    assertEquals(starts, jitsi.jibriStarts.size());
    assertFalse(media.enforceableNow("HMP-A").contains(ObligationType.RECORD));

    // OFF mid-call (the webhook, once): the call must end, reported once
    assertEquals(200, jitsi.postSession(webhooks, session, "OFF"));
    assertEquals(200, jitsi.postSession(webhooks, session, "OFF"));
    List<ParticipantEvent> events = media.check(kinlink.clock().instant());
    assertEquals(1, events.stream().filter(e -> e.kind() == ParticipantEvent.Kind.RECORDER_SILENT && e.callId().equals(callId)).count());
    assertTrue(media.check(kinlink.clock().instant()).stream().noneMatch(e -> e.kind() == ParticipantEvent.Kind.RECORDER_SILENT));
    await(media.end(callId, EndReason.RECORDING_FAILED));
    assertTrue(jitsi.jibriCalls.contains("/stopService"));
  }

  @Test
  void healthPolledWhileLiveEndsARecordedCallWhoseJibriWentIdleWithoutAWebhook() throws Exception {
    String callId = recordedCallLive();
    jitsi.jibriBusy = "IDLE"; // Jibri stopped and its OFF webhook was lost (never retried)
    kinlink.clock().advance(Duration.ofSeconds(6));
    media.check(kinlink.clock().instant()); // starts a health poll
    Eventually.await("the lost recorder reported", Duration.ofSeconds(5), () -> media.check(kinlink.clock().instant()).stream()
        .anyMatch(e -> e.kind() == ParticipantEvent.Kind.RECORDER_SILENT && e.callId().equals(callId)));
    await(media.end(callId, EndReason.RECORDING_FAILED));
  }

  @Test
  void aPrivilegedCallNeverStartsJibriAndNeverAdmitsAMonitor() throws Exception {
    jitsi.jibriBusy = "IDLE";
    int before = jitsi.jibriCalls.size();
    String callId = call("");
    await(media.create(spec(callId, false, false))); // privileged: NO_RECORDING, so no RECORD
    assertThrows(Exception.class, () -> await(media.startRecording(callId)));
    assertThrows(Exception.class, () -> await(media.addMonitor(callId, new Participant("st-sec", "Security", ParticipantRole.MONITOR))));
    assertThrows(Exception.class, () -> await(media.admit(callId, new Participant("st-sec", "Security", ParticipantRole.MONITOR))));
    assertEquals(before, jitsi.jibriCalls.size(), "Jibri was never called");
    assertFalse(media.enforceableNow("HMP-A").contains(ObligationType.MONITOR));
  }

  @Test
  void withTheHiddenAccountMonitorIsEnforceableAndAMonitorGetsTheAccountNotAToken() throws Exception {
    JitsiMediaBackend watched = new JitsiMediaBackend(media.config(), media.tokens(), HttpClient.newHttpClient(), kinlink.clock(),
        Duration.ofMinutes(2), org.kinlink.media.jitsi.SharedCallState.inMemory(),
        new org.kinlink.media.jitsi.MonitorAccount("kinlink-monitor", "a-long-monitor-password"));
    assertTrue(watched.enforceableNow("HMP-A").contains(ObligationType.MONITOR));
    String callId = call("");
    await(watched.create(spec(callId, false, false)));
    Admission a = await(watched.addMonitor(callId, new Participant("st-sec", "Security", ParticipantRole.MONITOR)));
    assertEquals("kinlink-monitor@hidden.meet.jitsi", ((Map<String, String>) a.join().get("login")).get("id"));
    assertEquals(Boolean.TRUE, a.join().get("receive_only"));
    assertNull(a.join().get("jwt"));
    assertEquals("hidden.meet.jitsi", a.join().get("hidden_domain"));
    assertThrows(Exception.class, () -> await(watched.addMonitor(callId, new Participant("pe-1", "Bob", ParticipantRole.ADULT))));
    assertThrows(Exception.class, () -> await(watched.addMonitor(call(""), new Participant("st-sec", "Security", ParticipantRole.MONITOR))),
        "no room, no monitor");
    assertFalse(new org.kinlink.media.jitsi.MonitorAccount("kinlink-monitor", "a-long-monitor-password").toString().contains("password-"));
  }

  @Test
  void theFinalizeScriptsUploadIsSealedIntoTheRecordingStoreOnce() throws Exception {
    String callId = recordedCallLive();
    String session = session(callId);
    await(media.end(callId, EndReason.COMPLETED));

    byte[] video = new byte[1_300_000]; // three chunks
    new java.util.Random(7).nextBytes(video);
    java.util.function.Function<String, HttpRequest> put = secret -> HttpRequest.newBuilder(URI.create(gw + "/jitsi/recordings/" + session))
        .header("Authorization", "Bearer " + secret).header("Content-Type", "video/mp4")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(video)).build();
    assertEquals(401, http.send(put.apply("nope"), HttpResponse.BodyHandlers.ofString()).statusCode());
    HttpResponse<String> first = http.send(put.apply(SECRET), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, first.statusCode(), first.body());
    String rec = new JsonObject(first.body()).getString("recording_id");
    assertEquals(200, http.send(put.apply(SECRET), HttpResponse.BodyHandlers.ofString()).statusCode(), "a retry: no second effect");

    Map<String, String> h = kinlink.redis().<Map<String, String>>call(c -> c.hgetall(Keys.callRecordings(callId))).await();
    Map<String, String> counts = kinlink.redis().<Map<String, String>>call(c -> c.hgetall(Keys.recordingCounts(rec))).await();
    assertEquals("3", counts.get("chunks"));
    assertEquals(String.valueOf(video.length), counts.get("bytes"));
    assertEquals(callId, kinlink.redis().<String>call(c -> c.get(Keys.recordingCall(rec))).await());
    byte[] key = masterKey.unwrap(Base64.getDecoder().decode(h.get(rec + ":key")), rec.getBytes(StandardCharsets.UTF_8));
    java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      final int seq = i;
      byte[] sealed = java.nio.file.Files.readAllBytes(files.path(rec, seq));
      assertEquals(Math.min(JitsiRecordings.CHUNK_BYTES, video.length - seq * JitsiRecordings.CHUNK_BYTES) + 1 + Aead.NONCE_BYTES
          + Aead.TAG_BYTES, sealed.length, "exact 512 KiB slices, sealed, as raw bytes");
      assertFalse(new String(sealed, StandardCharsets.ISO_8859_1)
          .contains(new String(video, 0, 64, StandardCharsets.ISO_8859_1)), "no plaintext stored");
      back.write(Aead.open(key, sealed, (rec + ":" + seq).getBytes(StandardCharsets.UTF_8)));
    }
    assertTrue(java.util.Arrays.equals(video, back.toByteArray()), "what security plays is what Jibri recorded");
  }

  @Test
  void anUploadThatDiedHalfWayIsReplacedWholeByTheNextAttempt() throws Exception {
    String callId = recordedCallLive();
    String session = session(callId);
    await(media.end(callId, EndReason.COMPLETED));
    byte[] first = new byte[1_300_000];
    new java.util.Random(3).nextBytes(first);
    // the finalize script's first attempt: its connection breaks once a chunk is stored
    String rec;
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.parseInt(gw.substring(gw.lastIndexOf(':') + 1)))) {
      var out = socket.getOutputStream();
      out.write(("PUT /jitsi/recordings/" + session + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + SECRET
          + "\r\nContent-Type: video/mp4\r\nContent-Length: " + first.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(first, 0, 800_000);
      out.flush();
      Eventually.await("the first chunk stored", Duration.ofSeconds(10), () -> {
        String r = kinlink.redis().<String>call(c -> c.get(JitsiRecordings.markerKey(session))).await();
        return r != null && "1".equals(kinlink.redis().<String>call(c -> c.hget(Keys.recordingCounts(r), "chunks")).await());
      });
      rec = kinlink.redis().<String>call(c -> c.get(JitsiRecordings.markerKey(session))).await();
    }
    // the retry, of the whole file: stored under a fresh key, none of the first attempt's chunks left in it
    byte[] video = new byte[1_300_000];
    new java.util.Random(4).nextBytes(video);
    HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(gw + "/jitsi/recordings/" + session))
        .header("Authorization", "Bearer " + SECRET).header("Content-Type", "video/mp4")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(video)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, again.statusCode(), again.body());
    assertEquals(rec, new JsonObject(again.body()).getString("recording_id"));
    Map<String, String> h = kinlink.redis().<Map<String, String>>call(c -> c.hgetall(Keys.callRecordings(callId))).await();
    Map<String, String> counts = kinlink.redis().<Map<String, String>>call(c -> c.hgetall(Keys.recordingCounts(rec))).await();
    assertEquals("3", counts.get("chunks"), counts.toString());
    assertEquals(String.valueOf(video.length), counts.get("bytes"));
    byte[] key = masterKey.unwrap(Base64.getDecoder().decode(h.get(rec + ":key")), rec.getBytes(StandardCharsets.UTF_8));
    java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      final int seq = i;
      byte[] sealed = java.nio.file.Files.readAllBytes(files.path(rec, seq));
      back.write(Aead.open(key, sealed, (rec + ":" + seq).getBytes(StandardCharsets.UTF_8)));
    }
    assertTrue(java.util.Arrays.equals(video, back.toByteArray()), "what is stored is the whole second upload");
  }

  /** A recorded call whose Jibri has started (health IDLE, startService, the ON webhook). */
  static String recordedCallLive() throws Exception {
    jitsi.jibriBusy = "IDLE";
    await(media.pollRecorders());
    String callId = call("");
    await(media.create(spec(callId, false, true)));
    var started = media.startRecording(callId).toCompletableFuture();
    Eventually.await("Jibri asked to start", Duration.ofSeconds(5), () -> session(callId) != null);
    assertEquals(200, jitsi.postSession(gw + "/jitsi/jibri/" + SECRET, session(callId), "ON"));
    started.get(5, TimeUnit.SECONDS);
    return callId;
  }

  /** Figures for the README (printed, not asserted): token minting, end-meeting round trips, reservation answers. */
  @Test
  void figures() throws Exception {
    String callId = call("");
    await(media.create(spec(callId, false, false)));
    Participant p = new Participant("pe-f", "Fig", ParticipantRole.ADULT);
    for (int i = 0; i < 200; i++) {
      media.tokens().login(callId, p, false);
    }
    int n = 2000;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      media.tokens().login(callId, p, false);
    }
    double perSecond = n / ((System.nanoTime() - t0) / 1e9);
    long[] ends = new long[300];
    for (int i = 0; i < ends.length; i++) {
      long s = System.nanoTime();
      await(media.end(call(""), EndReason.ENDED_BY_POLICY));
      ends[i] = System.nanoTime() - s;
    }
    java.util.Arrays.sort(ends);
    String room = call("");
    verdicts.put(room, RoomAuthority.Verdict.allow(room, "HMP-A", kinlink.clock().instant().plus(Duration.ofMinutes(30))));
    int r = 300;
    long t1 = System.nanoTime();
    for (int i = 0; i < r; i++) {
      reserve("name=" + room + "&start_time=2026-08-20T14:03:57.000Z&mail_owner=x", SECRET);
    }
    double reservations = r / ((System.nanoTime() - t1) / 1e9);
    System.out.printf("FIGURES login tokens/s=%.0f end-meeting p50=%.1fms p99=%.1fms reservations/s=%.0f%n", perSecond,
        ends[ends.length / 2] / 1e6, ends[ends.length * 99 / 100] / 1e6, reservations);
  }

  static String session(String callId) {
    return jitsi.sessionOf(callId);
  }
}
