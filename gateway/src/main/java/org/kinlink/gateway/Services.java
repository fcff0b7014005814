package org.kinlink.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.AuditModule;
import org.kinlink.gateway.audit.RedisAuditLog;
import org.kinlink.gateway.auth.AuthModule;
import org.kinlink.gateway.auth.AuthService;
import org.kinlink.gateway.auth.SignInLimits;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.contacts.Contacts;
import org.kinlink.gateway.contacts.DirectoryParties;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.messaging.Messaging;
import org.kinlink.gateway.realtime.Realtime;
import org.kinlink.gateway.ops.OpsModule;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.PeopleModule;
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
  private final RedisAuditLog audit;
  private final Directory directory;
  private final AuthService auth;
  private final Contacts contacts;
  private final Realtime realtime;
  private final Messaging messaging;
  private final org.kinlink.gateway.calls.Calls calls;

  public Services(GatewayConfig config, Vertx vertx, Redis redis, Clock clock, PrometheusMeterRegistry metrics) {
    this.config = config;
    this.vertx = vertx;
    this.redis = redis;
    this.clock = clock;
    this.metrics = metrics;
    modules.add(new OpsModule(this));
    this.audit = RedisAuditLog.forNode(vertx, redis, config, clock);
    this.directory = new Directory(redis);
    this.auth = new AuthService(this, directory, SignInLimits.defaults());
    modules.add(new AuthModule(auth));
    modules.add(new PeopleModule(this, directory, auth));
    modules.add(new AuditModule(audit));
    this.contacts = new Contacts(vertx, redis, audit, new DirectoryParties(directory), clock);
    modules.add(contacts.module());
    auth.me().register("contacts", contacts.service()::mine);
    // a child's socket authenticates with its call ticket (children have no accounts)
    this.realtime = new Realtime(vertx, redis, this::authenticateSocket,
        java.time.Duration.ofSeconds(10), 256 * 1024);
    org.kinlink.gateway.crypto.MasterKey masterKey = org.kinlink.gateway.crypto.MasterKey.loadOrCreate(config.dataDir(),
        java.util.Optional.ofNullable(System.getenv(org.kinlink.gateway.crypto.MasterKey.ENV)));
    this.messaging = new Messaging(vertx, redis, audit, contacts.decisions(), contacts.snapshots(), contacts.usage(),
        new DirectoryParties(directory), realtime, masterKey, config.demo(), clock);
    modules.add(messaging.module());
    this.calls = new org.kinlink.gateway.calls.Calls(vertx, redis, audit, contacts.decisions(), contacts.snapshots(),
        new DirectoryParties(directory), contacts.usage(), realtime, masterKey, clock);
    modules.add(calls.module());
  }

  private io.vertx.core.Future<org.kinlink.gateway.auth.Principal> authenticateSocket(String token) {
    return org.kinlink.gateway.calls.Calls.isTicket(token) ? calls.socketPrincipal(token) : auth.authenticator().authenticate(token);
  }

  /** Starts background work (subscriptions, timers); completes when the node may take traffic. */
  public io.vertx.core.Future<Void> start() {
    return audit.start(config.redisCommandTimeout()).compose(v -> auth.start(directory)).compose(v -> contacts.start()).compose(v -> realtime.start())
        .onSuccess(v -> messaging.start(vertx)).compose(v -> calls.start());
  }

  /** Stops background work before Redis is closed. */
  public io.vertx.core.Future<Void> stop() {
    calls.stop();
    realtime.stop();
    messaging.stop(vertx);
    return contacts.stop().compose(v -> audit.stop());
  }

  public GatewayConfig config() {
    return config;
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

  /** Every capability's HTTP surface, in mount order. */
  public List<ApiModule> modules() {
    return List.copyOf(modules);
  }
}
