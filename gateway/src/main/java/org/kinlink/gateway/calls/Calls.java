package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.contacts.ContactDecisions;
import org.kinlink.gateway.contacts.Parties;
import org.kinlink.gateway.contacts.PolicySnapshots;
import org.kinlink.gateway.contacts.UsageCounters;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.realtime.Realtime;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.calls.recording.RecordingStore;
import org.kinlink.gateway.settings.AuditedSettings;
import org.kinlink.gateway.jitsi.RoomAuthority;
import org.kinlink.media.MediaBackend;
import org.kinlink.media.ParticipantRole;
import org.kinlink.media.TurnCredentials;
import org.kinlink.media.embedded.EmbeddedMediaBackend;

/**
 * The calls capability of one node, wired once: the store, the embedded media backend (its state
 * shared with the other nodes over the realtime hub), the lifecycle service, the signalling frames
 * and the enforcer.
 *
 * <p>ICE servers come from the environment: {@code KINLINK_STUN_URLS} and {@code KINLINK_TURN_URLS}
 * (comma-separated {@code stun:}/{@code turn:} URLs) and {@code KINLINK_TURN_SECRET} (coturn's
 * {@code static-auth-secret}); without them browsers use host candidates only, which is enough on one
 * network (and in tests).
 */
public final class Calls {
  /** A SUPERVISED call whose supervisor has been gone this long ends. */
  public static final Duration SUPERVISOR_ABSENCE = Duration.ofMinutes(2);
  /** A recorded call whose kiosk sent no chunk for this long ends (recording failed). */
  public static final Duration RECORDER_SILENCE = Duration.ofSeconds(10);
  static final Duration TURN_CREDENTIAL_LIFE = Duration.ofMinutes(10);
  static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final CallOutbox outbox;
  private final RecordingRetention retention;
  private final CallStore store;
  private final EmbeddedMediaBackend media;
  private final CallsService service;
  private final CallEnforcer enforcer;
  private final Recordings recordings;
  private final RoomPresence presence;
  private final CallSettingsService settings;
  private final AuditedSettings settingsAudit;

  public Calls(Vertx vertx, Redis redis, AuditLog audit, ContactDecisions decisions, PolicySnapshots snapshots, Parties parties,
      UsageCounters usage, Realtime realtime, RecordingStore recordings, org.kinlink.gateway.crypto.MasterKey masterKey, Clock clock) {
    this(vertx, redis, audit, decisions, snapshots, parties, usage, realtime, recordings, masterKey, clock, UnaryOperator.identity());
  }

  /**
   * @param recordings where recordings' chunks go (the Jitsi uploads' too: one store per node)
   * @param around wraps the embedded backend in the one the lifecycle talks to (establishments on
   *     Jitsi: {@code JitsiSetup::around}); signalling and kiosk recordings stay on the embedded one
   */
  public Calls(Vertx vertx, Redis redis, AuditLog audit, ContactDecisions decisions, PolicySnapshots snapshots, Parties parties,
      UsageCounters usage, Realtime realtime, RecordingStore recordings, org.kinlink.gateway.crypto.MasterKey masterKey, Clock clock,
      UnaryOperator<MediaBackend> around) {
    this.vertx = vertx;
    this.outbox = new CallOutbox(redis, audit, clock);
    this.store = new CallStore(redis, outbox);
    this.retention = new RecordingRetention(redis, recordings, store, audit, clock);
    String secret = System.getenv("KINLINK_TURN_SECRET");
    this.media = new EmbeddedMediaBackend(clock, urls("KINLINK_STUN_URLS"), urls("KINLINK_TURN_URLS"),
        secret == null || secret.isBlank() ? null : new TurnCredentials(secret, TURN_CREDENTIAL_LIFE),
        SUPERVISOR_ABSENCE, RECORDER_SILENCE);
    CallSockets sockets = new CallSockets();
    CallPushes pushes = new CallPushes(realtime, sockets);
    MediaBackend lifecycle = around.apply(media);
    this.service = new CallsService(store, decisions, snapshots, parties, usage, audit, lifecycle, pushes, retention, clock);
    CallSignalling signalling = new CallSignalling(realtime, media, service, store, sockets);
    this.enforcer = new CallEnforcer(vertx, store, service, lifecycle, signalling, clock);
    this.recordings = new Recordings(vertx, redis, recordings, store, service, media, masterKey, audit, retention, clock);
    this.presence = new RoomPresence(store, service, lifecycle);
    this.settingsAudit = new AuditedSettings(redis, audit, clock, Keys.CALL_SETTINGS_OUTBOX_INDEX);
    this.settings = new CallSettingsService(store, settingsAudit);
  }

  private static List<String> urls(String env) {
    String v = System.getenv(env);
    return v == null || v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public Future<Void> start() {
    enforcer.start(SWEEP_EVERY);
    outbox.start(vertx);
    settingsAudit.start(vertx);
    retention.start(vertx);
    return Future.succeededFuture();
  }

  public void stop() {
    enforcer.stop();
    outbox.stop(vertx);
    settingsAudit.stop(vertx);
    retention.stop(vertx);
  }

  /** Runs one recording retention pass now (tests, after moving the clock): answers how many calls' recordings it deleted. */
  public Future<Integer> sweepRecordings() {
    return retention.sweep();
  }

  /** Runs one pass of the calls' audit outbox now (tests): answers how many parked entries it appended. */
  public Future<Integer> sweepAuditOutbox() {
    return outbox.sweep();
  }

  /** Where call settings changes wait for their audit entry (tests sweep it after moving the clock). */
  public AuditedSettings settingsAudit() {
    return settingsAudit;
  }

  /**
   * The principal of a socket that authenticates with a child's signalling ticket instead of an
   * access token (children have no accounts); only tickets minted from a join link qualify.
   */
  public Future<Principal> socketPrincipal(String ticket) {
    return service.ticket(ticket).compose(t -> {
      if (t.isEmpty() || !ParticipantRole.CHILD.name().equals(t.get().getString("role"))) {
        return Future.failedFuture(ApiException.unauthorized("This join has expired. Join the call again."));
      }
      String id = "ticket:" + Tokens.sha256(ticket);
      return Future.succeededFuture(new Principal(id, Role.OUTSIDE, null, null, id));
    });
  }

  /** True for a credential that {@link #socketPrincipal} reads. */
  public static boolean isTicket(String token) {
    return token != null && token.startsWith(Tokens.TICKET_PREFIX);
  }

  /** What the Jitsi reservation endpoint asks before prosody may create a room. */
  public RoomAuthority rooms() {
    return service::mayOpen;
  }

  /** What the Jitsi presence endpoint reports rooms' changes to. */
  public org.kinlink.gateway.jitsi.CallProgress progress() {
    return presence;
  }

  public CallsService service() {
    return service;
  }

  /** The embedded backend (tests mark its recorder down, count its conferences). */
  public EmbeddedMediaBackend media() {
    return media;
  }

  /** Runs one enforcement pass now (tests, after moving the clock). */
  public Future<Void> sweep() {
    return enforcer.sweep();
  }

  /** Changes an establishment's call hours, capacity or approval rule. */
  public Future<Void> settings(String establishment, CallSettings settings) {
    return store.putSettings(establishment, settings);
  }

  public CallsModule module() {
    return new CallsModule(service, recordings, media, settings);
  }
}
