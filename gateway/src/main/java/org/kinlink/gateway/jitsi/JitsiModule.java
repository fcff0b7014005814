package org.kinlink.gateway.jitsi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.media.jitsi.JitsiKeys;
import org.kinlink.media.jitsi.JitsiMediaBackend;

/**
 * The HTTP endpoints a Jitsi deployment calls on the gateway (none is for browsers):
 *
 * <ul>
 *   <li>{@code GET /jitsi/keys/login/<sha256(kid)>.pem} and {@code /jitsi/keys/system/...}: the
 *       public keys ({@code JWT_ASAP_KEYSERVER} and {@code prosody_password_public_key_repo_url}).
 *   <li>{@code /jitsi/reservations/conference}: prosody's {@code mod_reservations} API, behind the
 *       bearer secret set in {@code reservations_api_headers}.
 *   <li>{@code POST /jitsi/events/...}: {@code mod_event_sync_component} (presence), same secret.
 *   <li>{@code POST /jitsi/jibri/<secret>/v1/session/status} and {@code .../v1/status}: Jibri's
 *       webhooks ({@code JIBRI_WEBHOOK_SUBSCRIBERS} carries the secret in the path, since Jibri sends
 *       no header of ours).
 * </ul>
 *
 * Refusals to prosody carry {@code message} (which mod_reservations reads) beside the usual
 * {@code error} object.
 */
public final class JitsiModule implements org.kinlink.gateway.http.ApiModule {
  public static final String LOGIN_KEYS = "/jitsi/keys/login";
  public static final String SYSTEM_KEYS = "/jitsi/keys/system";
  /** prosody's {@code reservations_api_prefix}. */
  public static final String RESERVATIONS = "/jitsi/reservations";
  /** event_sync_component's {@code api_prefix} (it appends /events/...). */
  public static final String EVENTS_PREFIX = "/jitsi";
  /** The finalize script's upload, followed by the Jibri session id. */
  public static final String RECORDINGS = "/jitsi/recordings/";
  /** Jibri's webhook base, followed by the secret. */
  public static final String JIBRI_WEBHOOKS = "/jitsi/jibri/";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JitsiMediaBackend media;
  private final RoomAuthority rooms;
  private final JitsiStore store;
  private final JitsiRecordings recordings;
  private final AuditLog audit;
  private final Clock clock;
  private final byte[] secret;

  public JitsiModule(Vertx vertx, JitsiMediaBackend media, RoomAuthority rooms, Redis redis,
      org.kinlink.gateway.calls.recording.RecordingStore recordings, MasterKey masterKey, AuditLog audit, Clock clock, String secret) {
    if (secret == null || secret.length() < 24) {
      throw new IllegalArgumentException("the Jitsi API secret must be at least 24 characters");
    }
    this.media = media;
    this.rooms = rooms;
    this.store = new JitsiStore(redis);
    this.recordings = new JitsiRecordings(redis, recordings, masterKey, audit, clock);
    this.audit = audit;
    this.clock = clock;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void mount(RouterBuilder builder) {
    // outside the public contract: see mountExtra
  }

  @Override
  public void mountExtra(Router router) {
    router.get(LOGIN_KEYS + "/:file").handler(ctx -> key(ctx, media.tokens().loginKeys()));
    router.get(SYSTEM_KEYS + "/:file").handler(ctx -> key(ctx, media.tokens().systemKeys()));
    router.route(RESERVATIONS + "/*").handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router.route(RESERVATIONS + "/*").handler(this::bearer);
    router.post(RESERVATIONS + "/conference").handler(this::reserve);
    router.get(RESERVATIONS + "/conference/:id").handler(this::getReservation);
    router.delete(RESERVATIONS + "/conference/:id").handler(this::deleteReservation);
    router.route(EVENTS_PREFIX + "/events/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.route(EVENTS_PREFIX + "/events/*").handler(this::bearer);
    router.post(EVENTS_PREFIX + "/events/occupant/joined").handler(ctx -> occupant(ctx, true));
    router.post(EVENTS_PREFIX + "/events/occupant/left").handler(ctx -> occupant(ctx, false));
    router.post(EVENTS_PREFIX + "/events/room/:what").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.put(RECORDINGS + ":session").handler(this::uploadRecording);
    router.route(JIBRI_WEBHOOKS + ":secret/*").handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router.post(JIBRI_WEBHOOKS + ":secret/v1/session/status").handler(this::sessionStatus);
    router.post(JIBRI_WEBHOOKS + ":secret/v1/status").handler(ctx -> {
      if (secretMatches(ctx.pathParam("secret"))) {
        ctx.response().setStatusCode(200).end();
      } else {
        refuse(ctx, 401, "unauthorized", "This webhook address is not known.");
      }
    });
  }

  /**
   * The finalize script's upload: the one request the gateway's body reader leaves alone (it would hold
   * it in memory under max-body-bytes). Its handler reads it as a stream under the recording limit.
   */
  public static boolean streamsItsBody(io.vertx.core.http.HttpServerRequest request) {
    return request.method() == io.vertx.core.http.HttpMethod.PUT && request.path().startsWith(RECORDINGS);
  }

  private void key(RoutingContext ctx, JitsiKeys keys) {
    if (!keys.publicFileName().equals(ctx.pathParam("file"))) {
      refuse(ctx, 404, "not_found", "There is no key under that name.");
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/x-pem-file").end(keys.publicPem());
  }

  private boolean secretMatches(String presented) {
    return presented != null && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
  }

  private void bearer(RoutingContext ctx) {
    String h = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (h != null && h.startsWith("Bearer ") && secretMatches(h.substring(7).trim())) {
      ctx.next();
    } else {
      refuse(ctx, 401, "unauthorized", "A valid bearer secret is needed.");
    }
  }

  private static void refuse(RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("message", message)
            .put("error", new JsonObject().put("code", code).put("message", message)).encode());
  }

  private static void ok(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

  /** {@code POST /conference}: form-encoded name, start_time (UTC, literal Z), mail_owner. */
  private void reserve(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      refuse(ctx, 400, "bad_request", "The reservation must be form-encoded.");
      return;
    }
    String room = ctx.request().getFormAttribute("name");
    String start = ctx.request().getFormAttribute("start_time");
    String owner = ctx.request().getFormAttribute("mail_owner");
    if (room == null || room.isBlank() || !room.matches("[a-z0-9-]{1,100}")) {
      refuse(ctx, 400, "bad_request", "name is missing or is not a room name.");
      return;
    }
    Instant asked;
    try {
      if (start == null || !start.endsWith("Z")) {
        throw new DateTimeParseException("no Z", String.valueOf(start), 0);
      }
      asked = Instant.parse(start);
    } catch (DateTimeParseException e) {
      refuse(ctx, 400, "bad_request", "start_time must be a UTC time ending in Z.");
      return;
    }
    if (owner == null || owner.isBlank()) {
      refuse(ctx, 400, "bad_request", "mail_owner is missing.");
      return;
    }
    Instant now = clock.instant();
    rooms.mayOpen(room, now).compose(v -> {
      AuditEvent.Builder ev = AuditEvent.of("jitsi.reservation").actor("jitsi-prosody", "SYSTEM")
          .establishment(v.establishment()).detail("room", room).detail("asked_start", asked.toString());
      if (!v.allowed()) {
        return audit.append(ev.outcome("DENY").detail("reason", v.reason()).build())
            .onSuccess(a -> refuse(ctx, 403, "room_not_allowed", v.reason())).mapEmpty();
      }
      long duration = Math.max(0, Duration.between(now, v.endBy()).toSeconds());
      JsonObject resv = new JsonObject().put("id", 1 + (RANDOM.nextLong() >>> 12)).put("name", room)
          .put("mail_owner", owner).put("start_time", now.truncatedTo(ChronoUnit.MILLIS).toString())
          .put("duration", duration);
      return store.reserve(room, resv, Duration.ofSeconds(duration)).compose(id -> {
        boolean first = id.equals(String.valueOf(resv.getValue("id")));
        AuditEvent e = ev.outcome(first ? "PERMIT" : "CONFLICT").detail("reservation", id).detail("duration_s", duration).build();
        return audit.append(e).onSuccess(a -> {
          if (first) {
            ok(ctx, 200, resv);
          } else {
            // the room is already reserved: prosody fetches that one (no second reservation)
            ok(ctx, 409, new JsonObject().put("conflict_id", Long.parseLong(id))
                .put("message", "This room already has a reservation."));
          }
        }).mapEmpty();
      });
    }).onFailure(err -> {
      if (!ctx.response().ended()) {
        refuse(ctx, 503, "unavailable", "The gateway cannot check this room right now.");
      }
    });
  }

  private void getReservation(RoutingContext ctx) {
    store.get(ctx.pathParam("id")).onSuccess(r -> {
      if (r.isEmpty()) {
        refuse(ctx, 404, "not_found", "There is no such reservation.");
      } else {
        ok(ctx, 200, r.get());
      }
    }).onFailure(err -> refuse(ctx, 503, "unavailable", "The gateway cannot read reservations right now."));
  }

  private void deleteReservation(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.delete(id).compose(first -> first
        ? audit.append(AuditEvent.of("jitsi.reservation.deleted").actor("jitsi-prosody", "SYSTEM")
            .outcome("OK").detail("reservation", id).build()).map(true)
        : Future.succeededFuture(false))
        .onSuccess(first -> ok(ctx, 200, new JsonObject()))
        .onFailure(err -> refuse(ctx, 503, "unavailable", "The gateway cannot change reservations right now."));
  }

  /** event_sync_component occupant events: {@code {room_name, occupant: {id, occupant_jid, ...}}}. */
  private void occupant(RoutingContext ctx, boolean joined) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    JsonObject occ = body == null ? null : body.getJsonObject("occupant");
    String room = body == null ? null : body.getString("room_name");
    if (occ == null || room == null) {
      refuse(ctx, 400, "bad_request", "room_name and occupant are required.");
      return;
    }
    String jid = occ.getString("occupant_jid", "");
    String nick = jid.contains("/") ? jid.substring(jid.lastIndexOf('/') + 1) : "";
    Future.fromCompletionStage(joined ? media.occupantJoined(room, occ.getString("id"), nick)
            : media.occupantLeft(room, occ.getString("id")))
        .onSuccess(v -> ctx.response().setStatusCode(200).end())
        // event_sync retries a 5xx (api_should_retry_for_code); the events are idempotent
        .onFailure(err -> refuse(ctx, 503, "unavailable", "The gateway cannot take this event right now."));
  }

  /** The finalize script hands a finished recording over; it is sealed into the recording store. */
  private void uploadRecording(RoutingContext ctx) {
    ctx.request().pause();
    String h = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (h == null || !h.startsWith("Bearer ") || !secretMatches(h.substring(7).trim())) {
      unread(ctx);
      refuse(ctx, 401, "unauthorized", "A valid bearer secret is needed.");
      return;
    }
    String session = ctx.pathParam("session");
    String callId = JitsiMediaBackend.callOfSession(session);
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (callId == null) {
      unread(ctx);
      refuse(ctx, 404, "not_found", "There is no recording session " + session + ".");
      return;
    }
    if (type == null || !type.startsWith("video/")) {
      unread(ctx);
      refuse(ctx, 415, "unsupported_media_type", "A recording is uploaded as video/mp4.");
      return;
    }
    long max = media.config().recordingMaxBytes();
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("\\d{1,19}") && Long.parseLong(length) > max) {
      tooLarge(ctx, max);
      return;
    }
    recordings.upload(callId, session, type.split(";")[0].trim(), ctx.request(), max)
        .onSuccess(s -> ok(ctx, s.replay() ? 200 : 201, new JsonObject().put("recording_id", s.recordingId())
            .put("call_id", callId).put("bytes", s.bytes())))
        .onFailure(err -> {
          if (ctx.response().ended()) {
            return;
          }
          if (err instanceof JitsiRecordings.TooLarge) {
            tooLarge(ctx, max);
          } else {
            refuse(ctx, 503, "unavailable", "The recording could not be stored; upload it again.");
          }
        });
  }

  /**
   * A refusal before the body is read: the connection closes after the answer, once the client has
   * finished sending (or after {@link #LINGER_MS}). Closed with the body still arriving, the socket
   * would answer the client's next bytes with a reset, and a client still writing its upload would
   * see the reset instead of the refusal.
   */
  private static void unread(RoutingContext ctx) {
    io.vertx.core.http.HttpServerRequest request = ctx.request();
    if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
      return; // the stream just ends
    }
    // HTTP/1.1 would read the next request from the rest of this body
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    io.vertx.core.http.HttpConnection connection = request.connection();
    ctx.response().endHandler(v -> {
      if (request.isEnded()) {
        connection.close();
        return;
      }
      long timer = ctx.vertx().setTimer(LINGER_MS, t -> connection.close());
      request.handler(discarded -> {});
      request.endHandler(end -> {
        ctx.vertx().cancelTimer(timer);
        connection.close();
      });
      request.resume();
    });
  }

  /** How long a refused upload may go on arriving (and be discarded) before its connection is closed anyway. */
  private static final long LINGER_MS = 10_000;

  private static void tooLarge(RoutingContext ctx, long max) {
    unread(ctx);
    refuse(ctx, 413, "too_large", "A recording may be at most " + (max / (1024 * 1024))
        + " MiB (media.jitsi.recording_max_mb); this upload was not stored.");
  }

  /** Jibri's session webhook: {@code {jibriId, session: {sessionId, status: ON|OFF, failure?}}}; once, no retry. */
  private void sessionStatus(RoutingContext ctx) {
    if (!secretMatches(ctx.pathParam("secret"))) {
      refuse(ctx, 401, "unauthorized", "This webhook address is not known.");
      return;
    }
    JsonObject session;
    try {
      session = ctx.body().asJsonObject().getJsonObject("session");
    } catch (RuntimeException e) {
      session = null;
    }
    if (session == null || session.getString("sessionId") == null || session.getString("status") == null) {
      refuse(ctx, 400, "bad_request", "session.sessionId and session.status are required.");
      return;
    }
    Object failure = session.getValue("failure");
    Future.fromCompletionStage(media.sessionStatus(session.getString("sessionId"), session.getString("status"),
            failure == null ? null : failure.toString()))
        .onSuccess(ours -> ctx.response().setStatusCode(ours ? 200 : 404).end())
        // Jibri does not retry: a 503 at least shows in its log; the health poll is the backstop
        .onFailure(err -> refuse(ctx, 503, "unavailable", "The gateway cannot take this status right now."));
  }
}
