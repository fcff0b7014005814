package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.RedisAuditLog;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.Eventually;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Two nodes (each its own Vert.x, Redis connections and caches) on one Redis: a change on one drops
 * the other's cached copy and raises the local event there, also when the pub/sub message was missed.
 */
class ChangePropagationTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static final Duration DEADLINE = Duration.ofSeconds(20);

  /** A node's contacts plumbing: its own Vert.x (event bus) and Redis connection, on the class's database and clock. */
  static final class Node implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final Redis redis = Redis.connect(kinlink.redisUrl(), Duration.ofSeconds(5));
    final PolicySnapshots snapshots = new PolicySnapshots(redis, 100, Duration.ofMinutes(10));
    final ContactEvents events = new ContactEvents(vertx, redis, snapshots, Duration.ofHours(1), 1000);
    final VersionedWrites writes = new VersionedWrites(redis, new ChangeOutbox(redis,
        new RedisAuditLog(redis, "kl:{audit-" + UUID.randomUUID() + "}", kinlink.clock()), events,
        kinlink.clock(), Duration.ofSeconds(30), Contacts.OUTBOX_SWEEP_EVERY), kinlink.clock());
    final List<JsonObject> heard = new CopyOnWriteArrayList<>();

    Node(boolean subscribed) {
      vertx.eventBus().<JsonObject>consumer(ContactEvents.CONTACT_CHANGED, m -> heard.add(m.body()));
      vertx.eventBus().<JsonObject>consumer(ContactEvents.CLEARANCE_CHANGED, m -> heard.add(m.body()));
      if (subscribed) {
        Gateway.await(events.start());
      }
    }

    @Override
    public void close() {
      events.stop();
      redis.close();
      Gateway.await(vertx.close());
    }
  }

  Node a;
  Node b;

  @BeforeEach
  void nodes() {
    a = new Node(true);
  }

  @AfterEach
  void close() {
    a.close();
    if (b != null) {
      b.close();
    }
  }

  static void poll(String what, BooleanSupplier done) {
    Eventually.await(what, DEADLINE, done);
  }

  @Test
  void aChangeOnOneNodeDropsTheOtherNodesCopyAndRaisesTheLocalEvent() throws Exception {
    b = new Node(true);
    String prisoner = "pr-T" + UUID.randomUUID();
    String contact = "ct-" + UUID.randomUUID();
    Gateway.await(a.writes.commit(VersionedWritesTest.contactWrite(prisoner, contact, 0, "PENDING", null)));
    Gateway.await(a.writes.commit(VersionedWritesTest.contactWrite(prisoner, contact, 1, "APPROVED", null)));
    PrisonerSnapshot before = Gateway.await(b.snapshots.get(prisoner));
    assertEquals("APPROVED", before.contact(contact).orElseThrow().state());

    long started = System.nanoTime();
    Gateway.await(a.writes.commit(VersionedWritesTest.contactWrite(prisoner, contact, 2, "SUSPENDED", null)));
    poll("node B hears the suspension", () -> b.heard.stream().anyMatch(e -> contact.equals(e.getString("contact_id"))
        && e.getInteger("version") == 3 && "SUSPENDED".equals(e.getString("state"))));
    System.out.printf("propagation: event on node B %.1f ms after the write began%n", (System.nanoTime() - started) / 1e6);
    assertTrue(b.snapshots.cached(prisoner).map(s -> s.revision() > before.revision()).orElse(true),
        "node B no longer holds the old copy");
    assertEquals("SUSPENDED", Gateway.await(b.snapshots.get(prisoner)).contact(contact).orElseThrow().state());
    assertEquals(1, a.heard.stream().filter(e -> e.getInteger("version") == 3).count(),
        "the writing node raises its event once, though it hears its own message too");
  }

  @Test
  void aNodeThatMissedTheMessageCatchesUpOnReconcile() throws Exception {
    b = new Node(false); // not subscribed: every message is missed
    String prisoner = "pr-T" + UUID.randomUUID();
    String contact = "ct-" + UUID.randomUUID();
    Gateway.await(a.writes.commit(VersionedWritesTest.contactWrite(prisoner, contact, 0, "PENDING", null)));
    Gateway.await(a.writes.commit(VersionedWritesTest.contactWrite(prisoner, contact, 1, "APPROVED", null)));
    PrisonerSnapshot seen = Gateway.await(b.snapshots.get(prisoner));
    Gateway.await(a.writes.commit(VersionedWritesTest.contactWrite(prisoner, contact, 2, "REVOKED", null)));

    // a decision on B checks the revision in Redis, so it never uses the stale copy...
    long revision = Gateway.await(b.snapshots.current(prisoner)).revision();
    assertTrue(revision > seen.revision());
    assertEquals("REVOKED", Gateway.await(b.snapshots.current(prisoner)).contact(contact).orElseThrow().state());
    // ...and the periodic reconcile raises the event it missed, once
    Gateway.await(b.events.reconcile());
    poll("node B raises the missed change", () -> b.heard.stream().anyMatch(e -> contact.equals(e.getString("contact_id"))
        && "REVOKED".equals(e.getString("state"))));
    Gateway.await(b.events.reconcile());
    // anything that second reconcile raised was published before it completed; a marker published
    // after it reaches the same consumer after it, so once the marker is heard nothing else is on its way
    String marker = "marker-" + UUID.randomUUID();
    b.vertx.eventBus().publish(ContactEvents.CONTACT_CHANGED, new JsonObject().put("contact_id", marker));
    poll("node B's consumer has caught up", () -> b.heard.stream().anyMatch(e -> marker.equals(e.getString("contact_id"))));
    assertEquals(1, b.heard.stream().filter(e -> contact.equals(e.getString("contact_id"))).count());
  }
}
