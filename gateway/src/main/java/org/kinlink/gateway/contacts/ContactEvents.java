package org.kinlink.gateway.contacts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.KeyValue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries contact and clearance changes to every node and to whatever runs on it.
 *
 * <p>A write announces its change on a Redis pub/sub channel. Each node, on hearing it, drops its
 * cached {@link PrisonerSnapshot} and publishes a local Vert.x event-bus event ({@link #CONTACT_CHANGED}
 * or {@link #CLEARANCE_CHANGED}) so that messaging and calls can end calls or hold deliveries that
 * the change forbids. Each (contact, version) is announced locally at most once per node.
 *
 * <p>Pub/sub is fire-and-forget: a node that was disconnected misses messages. So each node
 * remembers the revision it last saw for every prisoner it has an interest in, notices a gap in the
 * revisions it hears, and every {@code reconcileEvery} compares those revisions with Redis (one MGET
 * per 500 prisoners); any prisoner behind is reloaded and its changed contacts announced locally.
 * Decisions themselves never depend on this: they check the prisoner's revision in Redis on every
 * decision ({@link PolicySnapshots#fresh}).
 */
public final class ContactEvents {
  /** Local event-bus address: a contact's policy changed; payload {contact_id, prisoner_id, version, state}. */
  public static final String CONTACT_CHANGED = "kinlink.contact.changed";
  /** Local event-bus address: a prisoner's clearance changed; payload {prisoner_id, version, clearance}. */
  public static final String CLEARANCE_CHANGED = "kinlink.clearance.changed";

  private static final Logger log = LoggerFactory.getLogger(ContactEvents.class);
  private static final int MGET_CHUNK = 500;

  /** What this node last announced for one prisoner. */
  private record Watch(long revision, int clearanceVersion, Map<String, Integer> contactVersions) {
    static Watch of(PrisonerSnapshot s) {
      Map<String, Integer> versions = new HashMap<>();
      s.contacts().values().forEach(c -> versions.put(c.id(), c.version()));
      return new Watch(s.revision(), s.clearance().version(), versions);
    }
  }

  private final Vertx vertx;
  private final Redis redis;
  private final PolicySnapshots snapshots;
  private final Duration reconcileEvery;
  private final Cache<String, Watch> watches;
  private final Context context;
  private long timer = -1;

  public ContactEvents(Vertx vertx, Redis redis, PolicySnapshots snapshots, Duration reconcileEvery, long maximumWatched) {
    this.vertx = vertx;
    this.redis = redis;
    this.snapshots = snapshots;
    this.reconcileEvery = reconcileEvery;
    this.watches = Caffeine.newBuilder().maximumSize(maximumWatched).executor(Runnable::run).build();
    // one context for all bookkeeping, so changes heard from Redis and made here are applied in turn
    this.context = vertx.getOrCreateContext();
    // a node that loaded a prisoner's policies has an interest in later changes to them
    snapshots.onLoad(s -> watches.asMap().putIfAbsent(s.prisonerId(), Watch.of(s)));
  }

  /** Subscribes to the channel and starts reconciling; completes once subscribed. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(reconcileEvery.toMillis(), id -> reconcile()
        .onFailure(e -> log.warn("reconciling policy revisions failed; will retry", e)));
    return redis.subscribe(Keys.CONTACT_CHANGES_CHANNEL, this::onMessage);
  }

  /** Stops reconciling. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Applies a committed change on this node at once, then tells every other node. */
  public Future<Void> announce(ContactChange change) {
    snapshots.invalidate(change.prisonerId());
    context.runOnContext(v -> apply(change));
    return redis.publish(Keys.CONTACT_CHANGES_CHANNEL, change.toJson().encode()).mapEmpty();
  }

  private void onMessage(String json) {
    ContactChange change;
    try {
      change = ContactChange.fromJson(new JsonObject(json));
    } catch (RuntimeException e) {
      log.warn("ignoring a malformed contact change message");
      return;
    }
    // drop the copy straight away, on the Lettuce thread, before anything else can read it
    snapshots.invalidate(change.prisonerId());
    context.runOnContext(v -> apply(change));
  }

  private void apply(ContactChange change) {
    snapshots.invalidate(change.prisonerId());
    boolean[] emit = {false};
    boolean[] gap = {false};
    watches.asMap().compute(change.prisonerId(), (id, w) -> {
      if (w == null) {
        emit[0] = true;
        Map<String, Integer> versions = new HashMap<>();
        if (change.contactId() != null) {
          versions.put(change.contactId(), change.version());
        }
        int clearance = ContactChange.CLEARANCE.equals(change.kind()) ? change.version() : 0;
        return new Watch(change.revision(), clearance, versions);
      }
      gap[0] = change.revision() > w.revision() + 1;
      long revision = Math.max(w.revision(), change.revision());
      if (ContactChange.CLEARANCE.equals(change.kind())) {
        emit[0] = change.version() > w.clearanceVersion();
        return new Watch(revision, Math.max(w.clearanceVersion(), change.version()), w.contactVersions());
      }
      Map<String, Integer> versions = new HashMap<>(w.contactVersions());
      emit[0] = change.version() > versions.getOrDefault(change.contactId(), 0);
      versions.merge(change.contactId(), change.version(), Math::max);
      return new Watch(revision, w.clearanceVersion(), versions);
    });
    if (emit[0]) {
      publishLocally(change);
    }
    if (gap[0]) {
      catchUp(change.prisonerId()).onFailure(e -> log.warn("catching up {} failed; the next reconcile retries", change.prisonerId(), e));
    }
  }

  private void publishLocally(ContactChange change) {
    String address = ContactChange.CLEARANCE.equals(change.kind()) ? CLEARANCE_CHANGED : CONTACT_CHANGED;
    vertx.eventBus().publish(address, change.eventPayload());
  }

  /** Compares every watched prisoner's revision with Redis and catches up those that missed a change. */
  public Future<Void> reconcile() {
    List<String> prisoners = new ArrayList<>(watches.asMap().keySet());
    List<Future<Void>> chunks = new ArrayList<>();
    for (int from = 0; from < prisoners.size(); from += MGET_CHUNK) {
      List<String> chunk = prisoners.subList(from, Math.min(prisoners.size(), from + MGET_CHUNK));
      String[] keys = chunk.stream().map(Keys::policyRevision).toArray(String[]::new);
      chunks.add(redis.<List<KeyValue<String, String>>>call(c -> c.mget(keys)).compose(values -> {
        List<Future<Void>> behind = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
          String prisonerId = chunk.get(i);
          long current = values.get(i).hasValue() ? Long.parseLong(values.get(i).getValue()) : 0L;
          Watch w = watches.getIfPresent(prisonerId);
          if (w != null && current > w.revision()) {
            behind.add(catchUp(prisonerId));
          }
        }
        return Future.all(behind).mapEmpty();
      }));
    }
    return Future.all(chunks).mapEmpty();
  }

  /** Reloads one prisoner and announces locally whatever changed since this node last looked. */
  private Future<Void> catchUp(String prisonerId) {
    snapshots.invalidate(prisonerId);
    return snapshots.get(prisonerId).onSuccess(s -> context.runOnContext(v -> {
      List<ContactChange> missed = new ArrayList<>();
      watches.asMap().compute(prisonerId, (id, w) -> {
        Watch seen = w == null ? new Watch(0, 0, Map.of()) : w;
        if (s.clearance().version() > seen.clearanceVersion()) {
          missed.add(ContactChange.clearance(prisonerId, s.clearance().version(), s.clearance().level(), s.revision()));
        }
        Map<String, Integer> versions = new HashMap<>(seen.contactVersions());
        for (ContactRecord c : s.contacts().values()) {
          if (c.version() > versions.getOrDefault(c.id(), 0)) {
            missed.add(ContactChange.contact(prisonerId, c.id(), c.version(), c.state(), s.revision()));
            versions.put(c.id(), c.version());
          }
        }
        return new Watch(Math.max(seen.revision(), s.revision()),
            Math.max(seen.clearanceVersion(), s.clearance().version()), versions);
      });
      if (!missed.isEmpty()) {
        log.info("caught up {} missed change(s) of {}", missed.size(), prisonerId);
      }
      missed.forEach(this::publishLocally);
    })).mapEmpty();
  }
}
