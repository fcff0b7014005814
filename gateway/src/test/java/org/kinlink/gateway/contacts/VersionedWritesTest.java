package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditEntry;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.RedisAuditLog;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.idempotency.IdempotencyKey;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;

/** The compare-and-set write path against real Redis: versions, history, idempotency, the audit outbox. */
class VersionedWritesTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Vertx vertx;
  static Redis redis;
  static final Principal OFFICER = new Principal("st-officer-" + UUID.randomUUID(), Role.OFFICER, "styal", null, "s1");

  @BeforeAll
  static void start() {
    vertx = kinlink.vertx();
    redis = kinlink.redis();
  }

  /** One node's write path over its own audit namespace; audit can be made to fail. */
  static final class Node {
    final String auditNs = "kl:{audit-" + UUID.randomUUID() + "}";
    final RedisAuditLog realAudit = new RedisAuditLog(redis, auditNs, kinlink.clock());
    final AtomicBoolean auditDown = new AtomicBoolean();
    final AuditLog audit = e -> auditDown.get()
        ? Future.failedFuture(new IllegalStateException("audit store down (fault injected by the test)"))
        : realAudit.append(e);
    final PolicySnapshots snapshots = new PolicySnapshots(redis, 100, Duration.ofMinutes(10));
    final ContactEvents events = new ContactEvents(vertx, redis, snapshots, Duration.ofHours(1), 1000);
    final ChangeOutbox outbox = new ChangeOutbox(redis, audit, events, kinlink.clock(), Duration.ZERO, Contacts.OUTBOX_SWEEP_EVERY);
    final VersionedWrites writes = new VersionedWrites(redis, outbox, kinlink.clock());

    long auditEntries() {
      return Gateway.<Long>await(redis.call(c -> c.hlen(Keys.auditEntries(auditNs))));
    }
  }

  static VersionedWrites.Write contactWrite(String prisonerId, String contactId, int expected, String state,
      IdempotencyKey idem) {
    ContactPolicy policy = ContactPolicy.builder().state(ContactState.valueOf(state)).build();
    JsonObject doc = ContactViews.document(policy);
    Instant now = Instant.now();
    ContactRecord record = new ContactRecord(contactId, prisonerId, "pe-x", "OTHER", state, null, "why", expected + 1,
        doc, now, now, OFFICER.accountId(), "why", OFFICER.accountId(), "OFFICER");
    PolicyVersion version = new PolicyVersion(expected + 1, doc, OFFICER.accountId(), "OFFICER", now, "why", "test");
    AuditEvent audit = AuditEvent.by(OFFICER, "contact.test").prisoner(prisonerId).contact(contactId)
        .detail("version", expected + 1).build();
    return new VersionedWrites.Write(expected == 0 ? VersionedWrites.Mode.CREATE : VersionedWrites.Mode.UPDATE,
        prisonerId, VersionedWrites.Target.contact(prisonerId, contactId), expected, version,
        record.fields(), audit, ContactChange.contact(prisonerId, contactId, expected + 1, state, 0), idem, false,
        new JsonObject().put("version", expected + 1), now.toEpochMilli(), expected == 0 ? contactId : null, contactId,
        null, ContactWriteScript.PartyClaim.NONE);
  }

  @Test
  void concurrentWritersAtOneVersionExactlyOneWins() {
    Node node = new Node();
    String prisoner = "pr-T" + UUID.randomUUID();
    String contact = "ct-" + UUID.randomUUID();
    Gateway.await(node.writes.commit(contactWrite(prisoner, contact, 0, "PENDING", null)));
    List<Future<VersionedWrites.Outcome>> racing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      racing.add(node.writes.commit(contactWrite(prisoner, contact, 1, "APPROVED", null)));
    }
    Gateway.await(Future.join(racing));
    long won = racing.stream().filter(f -> f.result() instanceof VersionedWrites.Outcome.Done).count();
    long stale = racing.stream().filter(f -> f.result() instanceof VersionedWrites.Outcome.Stale s && s.current() == 2).count();
    assertEquals(1, won);
    assertEquals(19, stale);
    List<PolicyVersion> history = Gateway.await(new ContactStore(redis, node.snapshots).versions(prisoner, contact, null, 100));
    assertEquals(List.of(2, 1), history.stream().map(PolicyVersion::version).toList(), "every version kept, newest first");
    assertEquals(2, node.auditEntries(), "one audit entry per version written, none for refused writes");
  }

  @Test
  void aRetryWithTheSameKeyGetsTheFirstAnswerAndWritesNothingMore() {
    Node node = new Node();
    String prisoner = "pr-T" + UUID.randomUUID();
    String contact = "ct-" + UUID.randomUUID();
    Gateway.await(node.writes.commit(contactWrite(prisoner, contact, 0, "PENDING", null)));
    JsonObject body = new JsonObject().put("reason", "checked");
    IdempotencyKey idem = IdempotencyKey.of("key-1", OFFICER.accountId(), "contact.approve", contact, body, null);
    VersionedWrites.Outcome first = Gateway.await(node.writes.commit(contactWrite(prisoner, contact, 1, "APPROVED", idem)));
    // the retry arrives after the contact moved on: still the first answer, no new version
    VersionedWrites.Outcome again = Gateway.await(node.writes.commit(contactWrite(prisoner, contact, 1, "APPROVED", idem)));
    assertInstanceOf(VersionedWrites.Outcome.Done.class, again);
    assertEquals(((VersionedWrites.Outcome.Done) first).answer().getJsonObject("body"),
        ((VersionedWrites.Outcome.Done) again).answer().getJsonObject("body"));
    assertEquals(2, Gateway.await(new ContactStore(redis, node.snapshots).versions(prisoner, contact, null, 100)).size());
    assertEquals(2, node.auditEntries());
    // the same key for a different request is refused, not answered with someone else's result
    IdempotencyKey reused = IdempotencyKey.of("key-1", OFFICER.accountId(), "contact.approve", contact, new JsonObject().put("reason", "other"), null);
    DomainException e = assertThrows(DomainException.class, () -> Gateway.await(node.writes.replay(prisoner, reused)));
    assertEquals("IDEMPOTENCY_KEY_REUSED", e.code());
  }

  @Test
  void aChangeWhoseAuditFailedIsAuditedLaterNeverLost() {
    Node node = new Node();
    String prisoner = "pr-T" + UUID.randomUUID();
    String contact = "ct-" + UUID.randomUUID();
    Gateway.await(node.writes.commit(contactWrite(prisoner, contact, 0, "PENDING", null)));
    node.auditDown.set(true);
    IdempotencyKey idem = IdempotencyKey.of("key-2", OFFICER.accountId(), "contact.approve", contact, new JsonObject(), null);
    DomainException pending = assertThrows(DomainException.class,
        () -> Gateway.await(node.writes.commit(contactWrite(prisoner, contact, 1, "APPROVED", idem))),
        "the client is not told it succeeded");
    assertEquals(DomainException.Kind.UNAVAILABLE, pending.kind(), "503: try again");
    assertEquals("AUDIT_PENDING", pending.code());
    assertEquals(1, node.auditEntries());
    assertEquals(1L, (long) Gateway.<Long>await(redis.call(c -> c.hlen(Keys.contactsOutbox(prisoner)))),
        "the committed change waits in the outbox");
    node.auditDown.set(false);
    // the client's retry finishes the first attempt's audit and gets its answer
    var replayed = Gateway.await(node.writes.replay(prisoner, idem));
    assertTrue(replayed.isPresent());
    assertEquals(2, node.auditEntries());
    assertEquals(0L, (long) Gateway.<Long>await(redis.call(c -> c.hlen(Keys.contactsOutbox(prisoner)))));

    // without a retry, the sweeper completes it
    node.auditDown.set(true);
    assertThrows(DomainException.class,
        () -> Gateway.await(node.writes.commit(contactWrite(prisoner, contact, 2, "SUSPENDED", null))));
    node.auditDown.set(false);
    int completed = Gateway.await(node.outbox.sweep());
    assertTrue(completed >= 1);
    List<String> seqs = Gateway.await(redis.call(c -> c.zrange(Keys.auditByContact(node.auditNs, contact), 0, -1)));
    List<Integer> versions = new ArrayList<>();
    for (String seq : seqs) {
      String stored = Gateway.await(redis.call(c -> c.hget(Keys.auditEntries(node.auditNs), seq)));
      AuditEntry entry = org.kinlink.gateway.audit.AuditCodec.decode(stored);
      versions.add(entry.event().details().getInteger("version"));
    }
    assertEquals(List.of(1, 2, 3), versions, "every version of the contact is on the record, in order");
    assertEquals(0L, (long) Gateway.<Long>await(redis.call(c -> c.hlen(Keys.contactsOutbox(prisoner)))));
  }

  @Test
  void clearanceStartsUnassessedAndIsVersionedLikeContacts() {
    Node node = new Node();
    String prisoner = "pr-T" + UUID.randomUUID();
    ContactStore store = new ContactStore(redis, node.snapshots);
    ClearanceRecord none = Gateway.await(store.clearance(prisoner));
    assertEquals(0, none.version());
    assertEquals("NONE", none.level(), "never assessed reads as no contact with children");
    Instant now = Instant.now();
    ClearanceRecord full = new ClearanceRecord(prisoner, "FULL", 1, now, OFFICER.accountId(), "assessed");
    VersionedWrites.Write write = new VersionedWrites.Write(VersionedWrites.Mode.PUT, prisoner,
        VersionedWrites.Target.clearance(prisoner), 0,
        new PolicyVersion(1, new JsonObject().put("clearance", "FULL"), OFFICER.accountId(), "OFFICER", now, "assessed", "x"),
        full.fields(), AuditEvent.by(OFFICER, "prisoner.clearance.set").prisoner(prisoner).build(),
        ContactChange.clearance(prisoner, 1, "FULL", 0), null, false, new JsonObject(), 0, null, null, null,
        ContactWriteScript.PartyClaim.NONE);
    assertInstanceOf(VersionedWrites.Outcome.Done.class, Gateway.await(node.writes.commit(write)));
    assertInstanceOf(VersionedWrites.Outcome.Stale.class, Gateway.await(node.writes.commit(write)),
        "a second writer that read version 0 is refused");
    assertEquals("FULL", Gateway.await(store.clearance(prisoner)).level());
    assertEquals(1, Gateway.await(node.snapshots.load(prisoner)).clearance().version());
  }
}
