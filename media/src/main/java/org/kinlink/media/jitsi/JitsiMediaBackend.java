package org.kinlink.media.jitsi;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kinlink.media.Admission;
import org.kinlink.media.ConferenceSpec;
import org.kinlink.media.EndReason;
import org.kinlink.media.MediaBackend;
import org.kinlink.media.Participant;
import org.kinlink.media.ParticipantEvent;
import org.kinlink.media.ParticipantRole;
import org.kinlink.policy.model.ObligationType;

/**
 * Calls carried by an establishment's Jitsi Meet deployment (docker-jitsi-meet {@code stable-11146-2};
 * wire formats as its prosody plugins {@code mod_muc_end_meeting}, {@code mod_muc_kick_participant},
 * {@code mod_reservations}, {@code mod_event_sync_component} and Jibri's HTTP API define them).
 *
 * <p>The gateway stays the authority: a room exists only because prosody's reservation check asked
 * the gateway (see the gateway's {@code jitsi} package), a participant gets in only with a login token
 * minted here after a PERMIT, and the room ends when the gateway says {@code end-meeting}. The room
 * of a call is named by the call id ({@code call-<uuid>}, already lowercase as XMPP wants).
 *
 * <p>Presence comes from prosody's {@code event_sync_component} (occupant joined/left, room
 * destroyed), each occupant named by the {@code context.user.id} of its token. Who was admitted, who is
 * in and since when a supervisor is gone are {@link SharedCallState}, since the joins and prosody's
 * events may each reach another gateway node. Until a supervisor of a
 * SUPERVISED call is known to be in the room, a child is not admitted (fail closed); when the last
 * supervisor leaves the children are kicked and {@link ParticipantEvent.Kind#MEDIA_HELD} is reported.
 *
 * <p>Jibri's session webhooks are not retried, so while a recorded call is live the recorders'
 * health is also polled from {@link #check}; a recorder that is no longer BUSY with our session, or
 * reports a failure, is reported as {@link ParticipantEvent.Kind#RECORDER_SILENT}.
 */
public final class JitsiMediaBackend implements MediaBackend {
  public static final String NAME = "jitsi";
  /** No {@code ON} from Jibri within this: the recorded call does not open. */
  static final Duration RECORDER_START_DEADLINE = Duration.ofSeconds(30);
  static final Duration RECORDER_POLL_EVERY = Duration.ofSeconds(5);
  /** A recorder health answer older than this does not make RECORD enforceable. */
  static final Duration RECORDER_HEALTH_FRESH = Duration.ofSeconds(90);
  private static final long[] END_RETRY_MILLIS = {200, 400, 800};
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(3);

  private final JitsiConfig config;
  private final JitsiTokens tokens;
  private final HttpClient http;
  private final Clock clock;
  private final Duration supervisorAbsence;
  private final SharedCallState shared;
  private final MonitorAccount monitor;
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final Map<URI, RecorderHealth> recorders = new ConcurrentHashMap<>();
  private final Map<String, Recording> recordings = new ConcurrentHashMap<>();
  private final List<Consumer<ParticipantEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<ParticipantEvent> due = new ConcurrentLinkedQueue<>();
  private final Map<String, String> endFailures = new ConcurrentHashMap<>();
  private volatile Instant lastPoll = Instant.EPOCH;

  private record RecorderHealth(String busyStatus, String healthStatus, Instant at) {}

  private static final class Recording {
    final URI jibri;
    final String sessionId;
    final CompletableFuture<Void> on = new CompletableFuture<>();
    volatile boolean failed;

    Recording(URI jibri, String sessionId) {
      this.jibri = jibri;
      this.sessionId = sessionId;
    }
  }

  /**
   * What this node knows of a room for good (who is in it, who was admitted, since when a supervisor is
   * gone: the shared state, since prosody's events and the joins may reach any node).
   */
  private record Room(String callId, boolean supervised, boolean record, Instant endBy) {
    static Room of(ConferenceSpec spec) {
      return new Room(spec.callId(), spec.supervised(), spec.record(), spec.endBy());
    }

    Instant keep() {
      return endBy.plus(KEEP);
    }
  }

  /** Shared fields of a room: how the call was set up, who was admitted (id -> role), who is in (id -> nick). */
  static final String SUPERVISED = "supervised";
  static final String RECORD = "record";
  static final String END_BY = "end_by";
  static final String ADMITTED = "admitted:";
  static final String PRESENT = "present:";
  static final String HELD_SINCE = "held_since";
  static final String GONE_REPORTED = "supervisor_gone_reported";

  private static ParticipantRole admitted(Map<String, String> f, String id) {
    String r = f.get(ADMITTED + id);
    return r == null ? null : ParticipantRole.valueOf(r);
  }

  /** participant id -> occupant nick of everyone prosody says is in, and the gateway admitted. */
  private static Map<String, String> present(Map<String, String> f) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    f.forEach((k, v) -> {
      if (k.startsWith(PRESENT) && f.containsKey(ADMITTED + k.substring(PRESENT.length()))) {
        out.put(k.substring(PRESENT.length()), v);
      }
    });
    return out;
  }

  private static boolean supervisorPresent(Map<String, String> f) {
    return present(f).keySet().stream().anyMatch(id -> admitted(f, id) == ParticipantRole.SUPERVISOR);
  }

  /** Shared fields of a call: the Jibri recording it and its session, what Jibri said, a failure reported. */
  static final String JIBRI = "jibri";
  static final String SESSION = "jibri_session";
  static final String SESSION_STATE = "jibri_state";
  static final String FAILURE_REPORTED = "jibri_failure_reported";
  private static final Duration KEEP = Duration.ofDays(1);

  /** One node (tests of the backend alone). */
  public JitsiMediaBackend(JitsiConfig config, JitsiTokens tokens, HttpClient http, Clock clock, Duration supervisorAbsence) {
    this(config, tokens, http, clock, supervisorAbsence, SharedCallState.inMemory());
  }

  /**
   * @param shared what every node must know of a call to end it and to take Jibri's webhooks for it
   *     (the recording session), whichever node started it
   */
  public JitsiMediaBackend(JitsiConfig config, JitsiTokens tokens, HttpClient http, Clock clock, Duration supervisorAbsence,
      SharedCallState shared) {
    this(config, tokens, http, clock, supervisorAbsence, shared, null);
  }

  /** @param monitor the hidden-domain account monitors join with; null: MONITOR is not enforceable */
  public JitsiMediaBackend(JitsiConfig config, JitsiTokens tokens, HttpClient http, Clock clock, Duration supervisorAbsence,
      SharedCallState shared, MonitorAccount monitor) {
    this.shared = shared;
    this.monitor = monitor;
    this.config = config;
    this.tokens = tokens;
    this.http = http;
    this.clock = clock;
    this.supervisorAbsence = supervisorAbsence;
  }

  public JitsiConfig config() {
    return config;
  }

  public JitsiTokens tokens() {
    return tokens;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ObligationType> enforceableNow(String establishment) {
    EnumSet<ObligationType> can = EnumSet.of(ObligationType.END_BY, ObligationType.SUPERVISOR_PRESENT,
        ObligationType.NO_RECORDING);
    if (monitor != null) {
      can.add(ObligationType.MONITOR); // without the hidden-domain account nobody could watch: fail closed
    }
    Instant freshAfter = clock.instant().minus(RECORDER_HEALTH_FRESH);
    if (recorders.values().stream().anyMatch(h -> "IDLE".equalsIgnoreCase(h.busyStatus())
        && "HEALTHY".equalsIgnoreCase(h.healthStatus()) && h.at().isAfter(freshAfter))) {
      can.add(ObligationType.RECORD);
    }
    return can;
  }

  /** The room name of a call. */
  public static String roomOf(String callId) {
    return callId.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public CompletionStage<Void> create(ConferenceSpec spec) {
    Room room = Room.of(spec);
    if (rooms.putIfAbsent(roomOf(spec.callId()), room) != null) {
      return CompletableFuture.completedFuture(null);
    }
    // so that a node that never created the room can follow prosody's events for it
    return shared.write(spec.callId(), Map.of(SUPERVISED, Boolean.toString(room.supervised()),
        RECORD, Boolean.toString(room.record()), END_BY, room.endBy().toString()), room.keep());
  }

  @Override
  public CompletionStage<Admission> admit(String callId, Participant p) {
    Room room = rooms.get(roomOf(callId));
    if (room == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("no conference " + callId));
    }
    if (p.role() == ParticipantRole.MONITOR) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("a monitor is added with addMonitor"));
    }
    CompletionStage<Void> allowed = !room.supervised() || !p.role().needsSupervision()
        ? CompletableFuture.completedFuture(null)
        : shared.read(callId).thenAccept(f -> {
          if (!supervisorPresent(f)) {
            // presence unknown or supervisor not in: no media between the prisoner and the child
            throw new SupervisorNotPresent();
          }
        });
    // admitted before the token exists: prosody's join event for it may reach any node
    return allowed.thenCompose(v -> shared.write(callId, Map.of(ADMITTED + p.id(), p.role().name()), room.keep()))
        .thenApply(v -> admission(callId, p));
  }

  private Admission admission(String callId, Participant p) {
    String roomName = roomOf(callId);
    // staff ids are st-...: only they moderate (token_affiliation makes them owners)
    String token = tokens.login(roomName, p, p.id().startsWith("st-"));
    Map<String, Object> join = new java.util.LinkedHashMap<>(roomJoin(roomName));
    join.put("jwt", token);
    join.put("expires_at", clock.instant().plus(config.tokenLife()).toString());
    return new Admission(NAME, Map.copyOf(join));
  }

  /**
   * Kicks one participant. A kick is not a ban (a token still valid may rejoin at once): the caller
   * uses this only where coming back would be harmless, and ends the room otherwise.
   */
  @Override
  public CompletionStage<Void> remove(String callId, String participantId) {
    return shared.read(callId).thenCompose(f -> shared.remove(callId, ADMITTED + participantId).thenCompose(v -> {
      String nick = f.get(PRESENT + participantId);
      return nick == null || nick.isEmpty() ? CompletableFuture.<Void>completedFuture(null) : kick(roomOf(callId), nick);
    }));
  }

  private CompletionStage<Void> kick(String roomName, String nick) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(config.prosodyHttpUrl() + "/kick-participant?room="
            + URLEncoder.encode(roomName, StandardCharsets.UTF_8)))
        .timeout(HTTP_TIMEOUT)
        .header("Authorization", "Bearer " + tokens.system())
        // exactly application/json: the plugin refuses a charset parameter
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("participantId", nick).encode()))
        .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() != 200 && r.statusCode() != 404) {
        throw new JitsiUnavailable("prosody refused to remove a participant (HTTP " + r.statusCode() + ")");
      }
      return null;
    });
  }

  /**
   * Security joins through the hidden-domain account, receive-only in our client. The caller (the
   * calls service) asks this only after a permitted MONITOR decision taken just now, audited with the
   * reason, and never for a privileged call; the answer is the room and the account, with no token.
   */
  @Override
  public CompletionStage<Admission> addMonitor(String callId, Participant who) {
    if (monitor == null) {
      return CompletableFuture.failedFuture(new JitsiUnavailable(
          "Monitoring a Jitsi call is not available: no hidden-domain monitor account is configured (media.jitsi.monitor_user)."));
    }
    if (who.role() != ParticipantRole.MONITOR) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("only a monitor joins through the hidden domain"));
    }
    if (!rooms.containsKey(roomOf(callId))) {
      return CompletableFuture.failedFuture(new IllegalStateException("no conference " + callId));
    }
    Map<String, Object> join = new java.util.LinkedHashMap<>(roomJoin(roomOf(callId)));
    join.put("login", Map.of("id", monitor.user() + "@" + config.hiddenDomain(), "password", monitor.password()));
    join.put("receive_only", true);
    join.put("expires_at", clock.instant().plus(config.tokenLife()).toString());
    return CompletableFuture.completedFuture(new Admission(NAME, Map.copyOf(join)));
  }

  /**
   * Where a browser finds the room: the library, the websocket, the domains. Every client gets the
   * hidden domain so that lib-jitsi-meet leaves its occupants (Jibri, a monitor) out of the list.
   */
  private Map<String, Object> roomJoin(String roomName) {
    URI base = config.baseUrl();
    String ws = (base.getScheme().equals("https") ? "wss" : "ws") + "://" + base.getRawAuthority()
        + "/xmpp-websocket?room=" + URLEncoder.encode(roomName, StandardCharsets.UTF_8);
    return Map.of("base_url", base.toString(), "library_url", base + "/libs/lib-jitsi-meet.min.js", "service_url", ws,
        "domain", config.xmppDomain(), "muc", config.mucDomain(), "hidden_domain", config.hiddenDomain(), "room", roomName);
  }

  @Override
  public CompletionStage<Void> startRecording(String callId) {
    Room room = rooms.get(roomOf(callId));
    if (room == null || !room.record()) {
      // a call without RECORD (every privileged call) never reaches Jibri
      return CompletableFuture.failedFuture(new IllegalStateException("call " + callId + " is not to be recorded"));
    }
    if (recordings.containsKey(callId)) {
      return recordings.get(callId).on;
    }
    return pollRecorders().thenCompose(v -> {
      URI idle = recorders.entrySet().stream().filter(e -> "IDLE".equalsIgnoreCase(e.getValue().busyStatus())
          && "HEALTHY".equalsIgnoreCase(e.getValue().healthStatus())).map(Map.Entry::getKey).findFirst().orElse(null);
      if (idle == null) {
        throw new JitsiUnavailable("No recorder is free (no Jibri reports IDLE), so the recorded call cannot open.");
      }
      Recording rec = new Recording(idle, sessionOf(callId));
      recordings.put(callId, rec);
      return shared.write(callId, Map.of(JIBRI, idle.toString(), SESSION, rec.sessionId, SESSION_STATE, "STARTING"),
          room.keep()).thenCompose(w -> start(callId, rec));
    });
  }

  private CompletionStage<Void> start(String callId, Recording rec) {
    URI idle = rec.jibri;
    JsonObject body = new JsonObject().put("sessionId", rec.sessionId).put("sinkType", "file")
        .put("callParams", new JsonObject().put("callUrlInfo", new JsonObject()
            .put("baseUrl", config.baseUrl().toString()).put("callName", roomOf(callId))))
        .put("callLoginParams", new JsonObject().put("domain", config.hiddenDomain()));
    return jibri(idle, "/startService", body).thenCompose(r -> {
      if (r.statusCode() != 200) {
        throw new JitsiUnavailable("The recorder refused to start (HTTP " + r.statusCode() + "), so the recorded call cannot open.");
      }
      return rec.on.orTimeout(RECORDER_START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }).whenComplete((ok, err) -> {
      if (err != null) {
        recordings.remove(callId);
        jibri(idle, "/stopService", new JsonObject().put("sessionId", rec.sessionId));
      }
    }).exceptionally(err -> {
      Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
      if (cause instanceof JitsiUnavailable u) {
        throw u;
      }
      throw new JitsiUnavailable("The recorder did not start recording in time, so the recorded call cannot open.", cause);
    });
  }

  @Override
  public CompletionStage<Void> stopRecording(String callId) {
    Recording rec = recordings.remove(callId);
    if (rec != null) {
      return jibri(rec.jibri, "/stopService", new JsonObject().put("sessionId", rec.sessionId))
          .thenCompose(r -> shared.write(callId, Map.of(SESSION_STATE, "STOPPED"), clock.instant().plus(KEEP)));
    }
    // started by another node (or none): the shared entry names the Jibri and its session
    return shared.read(callId).thenCompose(f -> {
      String session = f.get(SESSION);
      String state = f.get(SESSION_STATE);
      if (session == null || f.get(JIBRI) == null || "STOPPED".equals(state)) {
        return CompletableFuture.completedFuture(null);
      }
      return jibri(URI.create(f.get(JIBRI)), "/stopService", new JsonObject().put("sessionId", session))
          .thenCompose(r -> shared.write(callId, Map.of(SESSION_STATE, "STOPPED"), clock.instant().plus(KEEP)));
    });
  }

  private CompletableFuture<HttpResponse<String>> jibri(URI base, String path, JsonObject body) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/jibri/api/v1.0" + path)).timeout(HTTP_TIMEOUT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A Jibri session id names its call ({@code kl.<call id>.<random>}): the finalize script uploads the
   * recording under it to whichever gateway node answers, after the session is over.
   */
  static String sessionOf(String callId) {
    return "kl." + callId + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The call a Jibri session id names, or null for one that is not ours. */
  public static String callOfSession(String sessionId) {
    if (sessionId == null || !sessionId.matches("kl\\.call-[0-9a-f-]{36}\\.[0-9a-f]{8}")) {
      return null;
    }
    return sessionId.substring(3, sessionId.lastIndexOf('.'));
  }

  /** Asks every Jibri for its health; an unreachable one counts as not IDLE. */
  public CompletionStage<Void> pollRecorders() {
    lastPoll = clock.instant();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (URI u : config.jibriUrls()) {
      all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(u + "/jibri/api/v1.0/health")).timeout(HTTP_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString()).handle((r, err) -> {
            String busy = "UNREACHABLE";
            String health = "UNKNOWN";
            if (err == null && r.statusCode() == 200) {
              try {
                JsonObject status = new JsonObject(r.body()).getJsonObject("status", new JsonObject());
                busy = status.getString("busyStatus", "UNKNOWN");
                health = status.getJsonObject("health", new JsonObject()).getString("healthStatus", "UNKNOWN");
              } catch (RuntimeException malformed) {
                busy = "MALFORMED";
              }
            }
            recorders.put(u, new RecorderHealth(busy, health, clock.instant()));
            return null;
          }));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenRun(this::recorderHealthChecked);
  }

  private void recorderHealthChecked() {
    for (Map.Entry<String, Recording> e : recordings.entrySet()) {
      Recording rec = e.getValue();
      RecorderHealth h = recorders.get(rec.jibri);
      if (rec.on.isDone() && !rec.failed && h != null && !"BUSY".equalsIgnoreCase(h.busyStatus())) {
        recorderFailed(e.getKey(), rec);
      } else if (!rec.on.isDone()) {
        awaitOnElsewhere(e.getKey(), rec);
      }
    }
  }

  /**
   * Jibri's {@code POST {base}/v1/session/status} webhook, on whichever node it reaches. Idempotent: a
   * replay has no second effect (an ON already taken, an OFF already reported, here or on another
   * node). Answers false for a session that is not ours.
   */
  public CompletionStage<Boolean> sessionStatus(String sessionId, String status, String failure) {
    String callId = callOfSession(sessionId);
    if (callId == null) {
      return CompletableFuture.completedFuture(false);
    }
    boolean on = "ON".equalsIgnoreCase(status) && (failure == null || failure.isBlank());
    String failed = "The recorder failed to start" + (failure == null ? "" : " (" + failure + ")") + ", so the recorded call cannot open.";
    Instant keep = clock.instant().plus(KEEP);
    Recording rec = recordings.get(callId);
    if (rec != null && rec.sessionId.equals(sessionId)) {
      if (on) {
        rec.on.complete(null);
        return shared.write(callId, Map.of(SESSION_STATE, "ON"), keep).thenApply(v -> true);
      }
      if (rec.on.isDone()) {
        return recorderFailed(callId, rec).thenApply(v -> true);
      }
      rec.on.completeExceptionally(new JitsiUnavailable(failed));
      return CompletableFuture.completedFuture(true);
    }
    // started by another node: it waits for ON through the shared state (see check)
    return shared.read(callId).thenCompose(f -> {
      if (!sessionId.equals(f.get(SESSION))) {
        return CompletableFuture.completedFuture(false);
      }
      String state = f.getOrDefault(SESSION_STATE, "");
      if (state.equals("STARTING")) {
        return shared.write(callId, Map.of(SESSION_STATE, on ? "ON" : "FAILED " + failed), keep).thenApply(v -> true);
      }
      if (!on && state.equals("ON")) {
        return recorderFailed(callId, null).thenApply(v -> true);
      }
      return CompletableFuture.completedFuture(true);
    });
  }

  /** Reported once across the nodes: the call must end (RECORDING_FAILED). */
  private CompletionStage<Void> recorderFailed(String callId, Recording rec) {
    if (rec != null) {
      synchronized (rec) {
        if (rec.failed) {
          return CompletableFuture.completedFuture(null);
        }
        rec.failed = true;
      }
    }
    return shared.writeOnce(callId, FAILURE_REPORTED, clock.instant().toString(), clock.instant().plus(KEEP)).thenAccept(first -> {
      if (first) {
        due.add(new ParticipantEvent(ParticipantEvent.Kind.RECORDER_SILENT, callId, null, null, clock.instant()));
      }
    });
  }

  /** A recording this node started that waits for ON: Jibri's webhook may have reached another node. */
  private void awaitOnElsewhere(String callId, Recording rec) {
    shared.read(callId).thenAccept(f -> {
      String state = f.getOrDefault(SESSION_STATE, "");
      if (!rec.sessionId.equals(f.get(SESSION))) {
        return;
      }
      if (state.equals("ON")) {
        rec.on.complete(null);
      } else if (state.startsWith("FAILED ")) {
        rec.on.completeExceptionally(new JitsiUnavailable(state.substring("FAILED ".length())));
      }
    });
  }

  @Override
  public CompletionStage<Void> end(String callId, EndReason why) {
    String roomName = roomOf(callId);
    CompletionStage<Void> stopped = stopRecording(callId).exceptionally(err -> null);
    return stopped.thenCompose(v -> endMeeting(roomName, 0)).thenRun(() -> {
      rooms.remove(roomName);
      endFailures.remove(callId);
    }).whenComplete((ok, err) -> {
      if (err != null) {
        endFailures.put(callId, err.getMessage() == null ? err.toString() : err.getMessage());
      }
    });
  }

  private CompletionStage<Void> endMeeting(String roomName, int attempt) {
    String conference = roomName + "@" + config.mucDomain();
    HttpRequest req = HttpRequest.newBuilder(URI.create(config.prosodyHttpUrl() + "/end-meeting?conference="
            + URLEncoder.encode(conference, StandardCharsets.UTF_8)))
        .timeout(HTTP_TIMEOUT).header("Authorization", "Bearer " + tokens.system())
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((r, err) -> {
      if (err == null && (r.statusCode() == 200 || r.statusCode() == 404)) {
        return CompletableFuture.<Void>completedFuture(null); // 404: already gone, which is what we wanted
      }
      boolean retry = err != null || r.statusCode() >= 500;
      String what = err != null ? "prosody is unreachable (" + err.getClass().getSimpleName() + ")"
          : "prosody answered HTTP " + r.statusCode();
      if (!retry || attempt >= END_RETRY_MILLIS.length) {
        return CompletableFuture.<Void>failedFuture(new JitsiUnavailable("Ending room " + roomName + " failed: " + what + "."));
      }
      return CompletableFuture.supplyAsync(() -> null,
          CompletableFuture.delayedExecutor(END_RETRY_MILLIS[attempt], TimeUnit.MILLISECONDS))
          .thenCompose(x -> endMeeting(roomName, attempt + 1));
    }).thenCompose(f -> f);
  }

  /** Calls whose room could not be ended (for {@code /health/ready} and staff); empty when all is well. */
  public Map<String, String> endFailures() {
    return Map.copyOf(endFailures);
  }

  @Override
  public void onEvent(Consumer<ParticipantEvent> listener) {
    listeners.add(listener);
  }

  /** The room prosody names, known here or from the shared state (another node created it); null if none. */
  private CompletionStage<Room> room(String roomName) {
    Room known = rooms.get(roomName);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return shared.read(roomName).thenApply(f -> {
      if (!f.containsKey(END_BY)) {
        return null;
      }
      Room r = new Room(roomName, Boolean.parseBoolean(f.get(SUPERVISED)), Boolean.parseBoolean(f.get(RECORD)),
          Instant.parse(f.get(END_BY)));
      Room raced = rooms.putIfAbsent(roomName, r);
      return raced == null ? r : raced;
    });
  }

  /**
   * event_sync_component: an occupant joined {@code room}; {@code userId} is its token's
   * context.user.id. Idempotent across nodes: a replay (here or elsewhere) has no second effect.
   */
  public CompletionStage<Void> occupantJoined(String roomName, String userId, String nick) {
    if (userId == null) {
      return CompletableFuture.completedFuture(null); // Jibri, focus, a monitor: no token of ours
    }
    return room(roomName).thenCompose(room -> room == null ? CompletableFuture.completedFuture(null)
        : shared.read(room.callId()).thenCompose(before -> {
          ParticipantRole role = admitted(before, userId);
          if (role == null) {
            return CompletableFuture.<Void>completedFuture(null); // not a person the gateway admitted
          }
          boolean wasSupervised = supervisorPresent(before);
          return shared.writeOnce(room.callId(), PRESENT + userId, nick == null ? "" : nick, room.keep()).thenCompose(first -> {
            if (!first) {
              return CompletableFuture.<Void>completedFuture(null);
            }
            Instant now = clock.instant();
            emit(new ParticipantEvent(ParticipantEvent.Kind.JOINED, room.callId(), userId, role, now));
            String held = before.getOrDefault(HELD_SINCE, "");
            if (room.supervised() && !wasSupervised && role == ParticipantRole.SUPERVISOR && !held.isEmpty()) {
              return shared.write(room.callId(), Map.of(HELD_SINCE, ""), room.keep())
                  .thenCompose(v -> shared.remove(room.callId(), GONE_REPORTED)).thenRun(() ->
                  emit(new ParticipantEvent(ParticipantEvent.Kind.MEDIA_RESUMED, room.callId(), null, null, now)));
            }
            return CompletableFuture.<Void>completedFuture(null);
          });
        }));
  }

  /** event_sync_component: an occupant left. */
  public CompletionStage<Void> occupantLeft(String roomName, String userId) {
    if (userId == null) {
      return CompletableFuture.completedFuture(null);
    }
    return room(roomName).thenCompose(room -> room == null ? CompletableFuture.completedFuture(null)
        : shared.remove(room.callId(), PRESENT + userId).thenCompose(was -> !was ? CompletableFuture.<Void>completedFuture(null)
            : shared.read(room.callId()).thenCompose(after -> left(room, userId, after))));
  }

  private CompletionStage<Void> left(Room room, String userId, Map<String, String> after) {
    ParticipantRole role = admitted(after, userId);
    Instant now = clock.instant();
    emit(new ParticipantEvent(ParticipantEvent.Kind.LEFT, room.callId(), userId, role, now));
    CompletionStage<Void> done = CompletableFuture.completedFuture(null);
    Map<String, String> present = present(after);
    if (room.supervised() && role == ParticipantRole.SUPERVISOR && !supervisorPresent(after)) {
      done = shared.write(room.callId(), Map.of(HELD_SINCE, now.toString()), room.keep());
      // Jitsi cannot hold one stream: take the children out (and their admission) until a supervisor is back
      for (Map.Entry<String, String> e : present.entrySet()) {
        ParticipantRole r = admitted(after, e.getKey());
        if (r != null && r.needsSupervision()) {
          done = done.thenCompose(v -> shared.remove(room.callId(), ADMITTED + e.getKey()))
              .thenCompose(v -> e.getValue().isEmpty() ? CompletableFuture.<Void>completedFuture(null) : kick(roomOf(room.callId()), e.getValue()));
        }
      }
      done = done.thenRun(() -> emit(new ParticipantEvent(ParticipantEvent.Kind.MEDIA_HELD, room.callId(), null, null, now)));
    }
    if (present.isEmpty()) {
      done = done.thenRun(() -> emit(new ParticipantEvent(ParticipantEvent.Kind.EMPTY, room.callId(), null, null, now)));
    }
    return done;
  }

  /** The role of each person prosody says is in a call's room (the gateway admitted each), from any node's events. */
  public CompletionStage<List<ParticipantRole>> presentRoles(String callId) {
    return shared.read(callId).thenApply(f -> present(f).keySet().stream().map(id -> admitted(f, id)).toList());
  }

  /** The participant ids prosody says are in a call's room. */
  public CompletionStage<Set<String>> present(String callId) {
    return shared.read(callId).thenApply(f -> Set.copyOf(present(f).keySet()));
  }

  private void emit(ParticipantEvent e) {
    listeners.forEach(l -> l.accept(e));
  }

  /** Reports once, across the nodes, a supervisor gone longer than allowed (on this or a later check). */
  private void supervisorAbsence(Room room, Instant now) {
    shared.read(room.callId()).thenCompose(f -> {
      String held = f.getOrDefault(HELD_SINCE, "");
      if (held.isEmpty() || f.containsKey(GONE_REPORTED) || now.isBefore(Instant.parse(held).plus(supervisorAbsence))) {
        return CompletableFuture.completedFuture(null);
      }
      return shared.writeOnce(room.callId(), GONE_REPORTED, now.toString(), room.keep()).thenAccept(first -> {
        if (first) {
          due.add(new ParticipantEvent(ParticipantEvent.Kind.SUPERVISOR_GONE_TOO_LONG, room.callId(), null, null, now));
        }
      });
    });
  }

  @Override
  public List<ParticipantEvent> check(Instant now) {
    List<ParticipantEvent> out = new ArrayList<>();
    for (Room room : rooms.values()) {
      if (room.supervised()) {
        // the supervisor may have left through another node's event: the shared state says since when
        supervisorAbsence(room, now);
      }
    }
    // polled while idle too: RECORD is enforceable only on a fresh IDLE answer, so without this every
    // recorded call would be refused once the answer from start-up went stale
    if (!config.jibriUrls().isEmpty() && !now.isBefore(lastPoll.plus(RECORDER_POLL_EVERY))) {
      pollRecorders(); // its findings arrive on a later check
    }
    recordings.forEach((callId, rec) -> {
      if (!rec.on.isDone()) {
        awaitOnElsewhere(callId, rec);
      }
    });
    for (ParticipantEvent e; (e = due.poll()) != null; ) {
      out.add(e);
    }
    return out;
  }
}
