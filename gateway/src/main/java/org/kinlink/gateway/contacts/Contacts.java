package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.redis.ZremIfScoreScript;
import org.kinlink.policy.PolicyEngine;

/**
 * The contacts capability of one node, wired once: stores, the cached snapshots and their
 * propagation, the decision service others call, and the background sweepers.
 */
public final class Contacts {
  /** Prisoners whose policies one node keeps cached. */
  static final long CACHED_PRISONERS = 10_000;
  /** Safety net only: invalidation and the revision check keep cached copies current. */
  static final Duration CACHE_SAFETY_NET = Duration.ofMinutes(10);
  /** How often a node compares its watched revisions with Redis (covers missed pub/sub messages). */
  static final Duration RECONCILE_EVERY = Duration.ofSeconds(2);
  /** How long the writer has to finish a change before a sweeper completes it from the outbox. */
  static final Duration OUTBOX_GRACE = Duration.ofSeconds(30);
  static final Duration OUTBOX_SWEEP_EVERY = Duration.ofSeconds(10);
  static final Duration SUSPENSION_SWEEP_EVERY = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Redis redis;
  private final PolicySnapshots snapshots;
  private final ContactEvents events;
  private final ChangeOutbox outbox;
  private final UsageCounters usage;
  private final ContactDecisions decisions;
  private final ContactsService service;
  private final SuspensionEnds suspensionEnds;

  public Contacts(Vertx vertx, Redis redis, AuditLog audit, Parties parties, Clock clock) {
    this.vertx = vertx;
    this.redis = redis;
    this.snapshots = new PolicySnapshots(redis, CACHED_PRISONERS, CACHE_SAFETY_NET);
    this.events = new ContactEvents(vertx, redis, snapshots, RECONCILE_EVERY, CACHED_PRISONERS * 10);
    this.outbox = new ChangeOutbox(redis, audit, events, clock, OUTBOX_GRACE, OUTBOX_SWEEP_EVERY);
    this.usage = new UsageCounters(redis);
    this.decisions = new ContactDecisions(new PolicyEngine(), snapshots, usage, parties, clock);
    ContactStore store = new ContactStore(redis, snapshots);
    this.service = new ContactsService(parties, store, new VersionedWrites(redis, outbox, clock), decisions, clock);
    this.suspensionEnds = new SuspensionEnds(redis, service, clock);
  }

  /** Loads the scripts, subscribes to changes and starts the sweepers. */
  public Future<Void> start() {
    List<LuaScript> scripts = List.of(ContactWriteScript.SCRIPT, SnapshotScript.SCRIPT, UsageAddScript.SCRIPT,
        ZremIfScoreScript.SCRIPT);
    Future<Void> loaded = Future.all(scripts.stream().map(s -> redis.<String>call(c -> c.scriptLoad(s.source()))).toList())
        .mapEmpty();
    return loaded.compose(v -> events.start()).onSuccess(v -> {
      outbox.start(vertx);
      suspensionEnds.start(vertx, SUSPENSION_SWEEP_EVERY);
    });
  }

  /** Stops the timers. */
  public Future<Void> stop() {
    events.stop();
    outbox.stop(vertx);
    suspensionEnds.stop(vertx);
    return Future.succeededFuture();
  }

  /** Proposals, transitions, restrictions, clearance. */
  public ContactsService service() {
    return service;
  }

  /** The one place messaging and calls ask for decisions. */
  public ContactDecisions decisions() {
    return decisions;
  }

  /** Usage counters messaging and calls keep. */
  public UsageCounters usage() {
    return usage;
  }

  /** Change propagation (event-bus addresses are constants there). */
  public ContactEvents events() {
    return events;
  }

  /** This node's cached policy snapshots. */
  public PolicySnapshots snapshots() {
    return snapshots;
  }

  /** Parked changes (audit + announcement) still to complete. */
  public ChangeOutbox outbox() {
    return outbox;
  }

  /** The sweeper that ends timed suspensions. */
  public SuspensionEnds suspensionEnds() {
    return suspensionEnds;
  }

  /** The HTTP module. */
  public ContactsModule module() {
    return new ContactsModule(service);
  }
}
