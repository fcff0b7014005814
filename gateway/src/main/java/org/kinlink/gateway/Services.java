package org.kinlink.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.vertx.core.Future;
import java.time.Duration;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.audit.AuditModule;
import org.kinlink.gateway.audit.RedisAuditLog;
import org.kinlink.gateway.auth.AuthModule;
import org.kinlink.gateway.auth.AuthService;
import org.kinlink.gateway.auth.SignInLimits;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.contacts.Contacts;
import org.kinlink.gateway.contacts.DirectoryParties;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.devices.DemoKiosks;
import org.kinlink.gateway.devices.DeviceEnrolment;
import org.kinlink.gateway.devices.DevicesModule;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.messaging.Messaging;
import org.kinlink.gateway.realtime.Realtime;
import org.kinlink.gateway.ops.OpsModule;
import org.kinlink.gateway.ops.Readiness;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.PeopleModule;
import org.kinlink.gateway.people.PeopleService;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * The gateway's long-lived parts, built once per process and shared by every verticle
 * (they hold no per-event-loop state). Capabilities register their HTTP modules here.
 */
public final class Services {
  private final GatewayConfig config;
  private final Vertx vertx;
  private final Redis redis;
  private final Clock clock;
  private final PrometheusMeterRegistry metrics;
  private final List<ApiModule> modules = new ArrayList<>();
  private final Readiness readiness = new Readiness();
  private final RedisAuditLog audit;
  private final Directory directory;
  private final AuthService auth;
  private final Contacts contacts;
  private final Realtime realtime;
  private final Messaging messaging;
  private final org.kinlink.gateway.calls.Calls calls;
  private final org.kinlink.gateway.calls.recording.SharedRecordingsDir recordingsDir;
  private final DeviceEnrolment devices;
  private final MasterKey masterKey;
  private final Optional<DemoKiosks> demoKiosks;
  private final AuditOutbox peopleOutbox;
  /** How long a writer has to finish a directory change before a sweeper audits it from the outbox. */
  static final Duration PEOPLE_OUTBOX_GRACE = Duration.ofSeconds(10);
  static final Duration PEOPLE_OUTBOX_SWEEP_EVERY = Duration.ofSeconds(5);

  public Services(GatewayConfig config, Vertx vertx, Redis redis, Clock clock, PrometheusMeterRegistry metrics) {
    this.config = config;
    this.vertx = vertx;
    this.redis = redis;
    this.clock = clock;
    this.metrics = metrics;
    modules.add(new OpsModule(readiness, metrics));
    readiness.probe("redis", () -> redis.ping().map(up -> up ? Readiness.Status.up()
        : Readiness.Status.down("DOWN", "Redis is not answering")));
    this.masterKey = MasterKey.loadOrCreate(config.dataDir(), Optional.ofNullable(System.getenv(MasterKey.ENV)));
    this.audit = RedisAuditLog.forNode(vertx, redis, config, clock);
    this.directory = new Directory(redis);
    // a directory change parks its audit entry in one outbox (the {dir} slot); this node's sweeper completes strays
    this.peopleOutbox = new AuditOutbox(redis, audit, clock, PEOPLE_OUTBOX_GRACE)
        .lane(cutoff -> Future.succeededFuture(List.of(AuditOutbox.Candidate.of(Keys.dirAuditOutbox()))));
    this.auth = new AuthService(vertx, redis, clock, config, masterKey, audit, directory, peopleOutbox, SignInLimits.defaults());
    modules.add(new AuthModule(auth));
    this.devices = new DeviceEnrolment(redis, clock, directory, audit, peopleOutbox, auth.guard());
    modules.add(new PeopleModule(new PeopleService(directory, peopleOutbox, auth.hasher(), vertx, clock,
        (by, prisonerId, level, reason) -> contacts().service().recordClearance(by, prisonerId, level, reason),
        (by, prisoner) -> auth.signIn().liftKioskLock(by, prisoner),
        (accountId, reason) -> auth.signIn().revokeAccount(accountId, reason),
        new PeopleService.EnrolmentCodes() {
          @Override
          public Future<io.vertx.core.json.JsonObject> issue(org.kinlink.gateway.identity.Principal by, org.kinlink.gateway.people.KioskDevice device) {
            return devices.issueCode(action -> AuditEvent.by(by, action), device).map(DeviceEnrolment.IssuedCode::toJson);
          }

          @Override
          public Future<Void> forget(String deviceId) {
            return devices.forgetCode(deviceId);
          }
        },
        new PeopleService.SignInReset() {
          @Override
          public Future<Boolean> liftLock(String email) {
            return auth.guard().lift("login:" + email).map(was -> was != null);
          }

          @Override
          public Future<Void> forgetTotpStep(String accountId) {
            return redis.call(c -> c.del(Keys.totpLastStep(accountId))).mapEmpty();
          }
        })));
    this.demoKiosks = config.demo()
        ? Optional.of(new DemoKiosks(vertx, directory, peopleOutbox, clock, config.dataDir(), DemoData.KIOSK_LOGINS.stream().map(DemoData.KioskLogin::device).toList()))
        : Optional.empty();
    modules.add(new DevicesModule(devices, demoKiosks));
    modules.add(new AuditModule(audit, new org.kinlink.gateway.people.DirectoryActorNames(directory)));
    this.contacts = new Contacts(vertx, redis, audit, new DirectoryParties(directory), clock);
    modules.add(contacts.module());
    auth.me().register("contacts", contacts.service()::mine);
    // a child's socket authenticates with its call ticket (children have no accounts)
    // pings come three times within the shorter idle timeout, so a quiet socket is never taken for a dead one
    java.time.Duration quietest = java.util.Collections.min(List.of(config.http().idleTimeout(), config.http().websocketIdleTimeout()));
    this.realtime = new Realtime(vertx, redis, this::authenticateSocket,
        java.time.Duration.ofSeconds(10), 256 * 1024, quietest.dividedBy(3));
    this.messaging = new Messaging(vertx, redis, audit, contacts.decisions(), contacts.snapshots(), contacts.usage(),
        new DirectoryParties(directory), realtime,
        masterKey, config.randomReviewShare(), clock, new org.kinlink.gateway.messaging.SendStages(metrics));
    modules.add(messaging.module());
    Optional<org.kinlink.gateway.jitsi.JitsiSetup> jitsi = jitsi(config, vertx, redis, clock);
    // the kiosks' recordings and Jibri's uploads: chunk files in the recordings dir (shared by every node), counters in Redis
    org.kinlink.gateway.calls.recording.ChunkFiles chunkFiles = new org.kinlink.gateway.calls.recording.ChunkFiles(config.recordingsDirectory());
    org.kinlink.gateway.calls.recording.RecordingStore recordings = new org.kinlink.gateway.calls.recording.RecordingStore(vertx, redis,
        chunkFiles);
    this.recordingsDir = new org.kinlink.gateway.calls.recording.SharedRecordingsDir(vertx, redis, chunkFiles, Clock.systemUTC());
    readiness.advise("recordings-dir", recordingsDir::advice);
    this.calls = new org.kinlink.gateway.calls.Calls(vertx, redis, audit, contacts.decisions(), contacts.snapshots(),
        new DirectoryParties(directory), contacts.usage(), realtime, recordings, masterKey, clock,
        jitsi.<java.util.function.UnaryOperator<org.kinlink.media.MediaBackend>>map(j -> j::around)
            .orElse(java.util.function.UnaryOperator.identity()));
    modules.add(calls.module());
    jitsi.ifPresent(j -> {
      j.follow(calls.progress());
      modules.add(j.module(vertx, calls.rooms(), redis, recordings, masterKey, audit, clock,
          org.kinlink.gateway.jitsi.JitsiSetup.apiSecret(config.dataDir())));
      readiness.probe("jitsi", () -> io.vertx.core.Future.succeededFuture(jitsiEnding(j.backend().endFailures())));
    });
  }

  /** Establishments on Jitsi, from {@code KINLINK_MEDIA_CONFIG} or else {@code <data dir>/media.yaml}; none without. */
  private static Optional<org.kinlink.gateway.jitsi.JitsiSetup> jitsi(GatewayConfig config, Vertx vertx, Redis redis, Clock clock) {
    String file = System.getenv("KINLINK_MEDIA_CONFIG");
    java.nio.file.Path path = file == null || file.isBlank() ? config.dataDir().resolve("media.yaml") : java.nio.file.Path.of(file);
    try {
      return org.kinlink.gateway.jitsi.JitsiSetup.load(vertx, config.dataDir(), path, clock,
          org.kinlink.gateway.calls.Calls.SUPERVISOR_ABSENCE, redis);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the media configuration " + path, e);
    }
  }

  /**
   * A room that could not be ended keeps people together against a decision: not ready until staff
   * see to it (the calls service logs each failure when it happens, not on every probe).
   */
  private static Readiness.Status jitsiEnding(java.util.Map<String, String> failures) {
    if (failures.isEmpty()) {
      return Readiness.Status.up();
    }
    String message = failures.size() + " Jitsi room(s) could not be ended: " + String.join(" ", failures.values());
    return Readiness.Status.down("DEGRADED", message);
  }

  private io.vertx.core.Future<org.kinlink.gateway.identity.Principal> authenticateSocket(String token) {
    return org.kinlink.gateway.calls.Calls.isTicket(token) ? calls.socketPrincipal(token) : auth.authenticator().authenticate(token);
  }

  /** Starts background work (subscriptions, timers); completes when the node may take traffic. */
  public io.vertx.core.Future<Void> start() {
    return audit.start(config.redisCommandTimeout()).compose(v -> auth.start(directory)).compose(v -> contacts.start())
        .compose(v -> realtime.start())
        .map(v -> {
          peopleOutbox.start(vertx, PEOPLE_OUTBOX_SWEEP_EVERY);
          messaging.start(vertx);
          return null;
        }).compose(v -> calls.start()).compose(v -> recordingsDir.start());
  }

  /** Stops background work before Redis is closed. */
  public io.vertx.core.Future<Void> stop() {
    calls.stop();
    realtime.stop();
    messaging.stop(vertx);
    peopleOutbox.stop(vertx);
    return recordingsDir.stop().compose(v -> contacts.stop()).compose(v -> audit.stop());
  }

  public GatewayConfig config() {
    return config;
  }

  /** Whether this node's recordings dir is the one the other nodes use. */
  public org.kinlink.gateway.calls.recording.SharedRecordingsDir recordingsDir() {
    return recordingsDir;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Redis redis() {
    return redis;
  }

  public Clock clock() {
    return clock;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** The audit chain: append every action that matters before acknowledging it. */
  public AuditLog audit() {
    return audit;
  }

  /** The directory's audit outbox (people, staff, devices): completes changes whose writer died before auditing. */
  public AuditOutbox peopleOutbox() {
    return peopleOutbox;
  }

  /** Identities: establishments, prisoners, people outside, staff accounts, kiosk devices. */
  public Directory directory() {
    return directory;
  }

  /** Sign-in, tokens, revocation and the {@code /me} view. */
  public AuthService auth() {
    return auth;
  }

  /** Contacts, restrictions, clearance, and the decisions messaging and calls ask for. */
  public Contacts contacts() {
    return contacts;
  }

  /** The WebSocket hub ({@code /ws}): capabilities register frame types on it. */
  public Realtime realtime() {
    return realtime;
  }

  /** Messages, receipts and the review queue. */
  public Messaging messaging() {
    return messaging;
  }

  /** Video calls: booking, joining, enforcement, recordings. */
  public org.kinlink.gateway.calls.Calls calls() {
    return calls;
  }

  /** What {@code /health/ready} answers; start-up and supervisors set their checks here. */
  public Readiness readiness() {
    return readiness;
  }

  /** The key that wraps every data key kept at rest (see {@link org.kinlink.gateway.crypto.SecretBox}). */
  public MasterKey masterKey() {
    return masterKey;
  }

  /** Kiosk enrolment: one-time codes, device keys, withdrawal. */
  public DeviceEnrolment devices() {
    return devices;
  }

  /** The demo's kiosks and their key files; present only in {@code kinlink demo}. */
  /** What the demo data loads through. */
  public DemoData.Parts demoParts() {
    return new DemoData.Parts(redis, directory, audit, contacts, messaging(), demoKiosks, clock);
  }

  public Optional<DemoKiosks> demoKiosks() {
    return demoKiosks;
  }

  /** Every capability's HTTP surface, in mount order. */
  public List<ApiModule> modules() {
    return List.copyOf(modules);
  }
}
