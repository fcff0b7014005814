package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.audit.IndexedOutboxLane;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * The contacts lane of the shared {@link AuditOutbox}: a prisoner's committed contact and clearance
 * changes wait in her outbox (parked by {@code contacts-write.lua} in the same atomic step as the
 * change) until they are announced and audited. Completing one twice is harmless: the audit append
 * is idempotent per {@code change_id}.
 */
public final class ChangeOutbox extends IndexedOutboxLane {
  private final ContactEvents events;

  public ChangeOutbox(Redis redis, AuditLog audit, ContactEvents events, Clock clock, Duration grace, Duration sweepEvery) {
    super(redis, audit, clock, grace, sweepEvery, Keys.CONTACTS_OUTBOX_INDEX, Keys::contactsOutbox);
    this.events = events;
  }

  /** The outbox entry of a change: its audit event and its announcement. */
  static JsonObject entry(String changeId, String prisonerId, long atMillis, JsonObject auditEvent, ContactChange change) {
    return AuditOutbox.entry(changeId, atMillis, AuditEvent.fromJson(auditEvent)).put("prisoner_id", prisonerId)
        .put("change", change.toJson());
  }

  /** Announces the change, appends its audit entry, then removes it from the outbox. */
  Future<Void> complete(JsonObject entry, long revision) {
    return outbox().complete(Keys.contactsOutbox(entry.getString("prisoner_id")), entry, () -> announce(entry, revision));
  }

  /** Completes one parked change if it is still parked (used when a retry finds its first answer). */
  Future<Void> completeIfParked(String prisonerId, String changeId) {
    return outbox().completeIfParked(Keys.contactsOutbox(prisonerId), changeId, this::beforeAudit);
  }

  // announcing first: the change is already committed, so the sooner other nodes act on it the safer
  private Future<Void> announce(JsonObject entry, long revision) {
    ContactChange change = ContactChange.fromJson(entry.getJsonObject("change"));
    return events.announce(revision > 0 ? change.withRevision(revision) : change).mapEmpty();
  }

  @Override
  public Future<Void> beforeAudit(JsonObject entry) {
    return announce(entry, 0);
  }
}
