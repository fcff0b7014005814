package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.idempotency.IdempotencyKey;
import org.kinlink.gateway.idempotency.IdempotencyStore;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Runs versioned writes (contacts and clearance) the one safe way: compare-and-set in one Lua script
 * in the prisoner's slot, then announce, audit, and only then answer. A retry with the same
 * {@code Idempotency-Key} gets the first answer (after finishing the first attempt's audit if it
 * had not finished).
 */
public final class VersionedWrites {

  /** How a record may exist before the write. */
  public enum Mode {
    /** Must not exist yet. */
    CREATE,
    /** Must exist, at the expected version. */
    UPDATE,
    /** May be absent (version 0) or at the expected version. */
    PUT
  }

  /**
   * One write.
   *
   * @param fields the record hash fields, alternating names and values
   * @param change the announcement (its revision is filled in after the write)
   * @param idem the client's key, or null
   * @param target the record written and its version history
   * @param created true when the write makes the record (the caller is told so, and so is a retry)
   * @param answerBody what the client is told on success (remembered for retries)
   * @param indexMember for {@link Mode#CREATE}: the contact id added to the prisoner's index, scored by {@code indexScore}
   * @param contactId the contact written (null for clearance)
   * @param partyId the contact's party when {@code claim} touches the one-live-contact-per-party key
   */
  public record Write(Mode mode, String prisonerId, Target target, int expectedVersion,
      PolicyVersion entry, List<String> fields, AuditEvent audit, ContactChange change, IdempotencyKey idem,
      boolean created, JsonObject answerBody, long indexScore, String indexMember, String contactId, String partyId,
      ContactWriteScript.PartyClaim claim) {}

  /** A versioned record: a contact (hash + versions list) or a prisoner's clearance. Its keys are this store's. */
  public record Target(String recordKey, String versionsKey) {
    public static Target contact(String prisonerId, String contactId) {
      return new Target(Keys.contact(prisonerId, contactId), Keys.contactVersions(prisonerId, contactId));
    }

    public static Target clearance(String prisonerId) {
      return new Target(Keys.clearance(prisonerId), Keys.clearanceVersions(prisonerId));
    }
  }

  /** What came of a write. */
  public sealed interface Outcome {
    /** Written (or replayed): the result to give, {@code {created, body}}. */
    record Done(JsonObject answer) implements Outcome {}

    /** The record is at another version. */
    record Stale(int current) implements Outcome {}

    /** The record does not exist. */
    record Missing() implements Outcome {}

    /** The record already exists (create). */
    record Exists() implements Outcome {}

    /** The prisoner already has a live contact with this party: that contact's id. */
    record Duplicate(String contactId) implements Outcome {}
  }

  private final Redis redis;
  private final ContactWriteScript script;
  private final IdempotencyStore answers;
  private final ChangeOutbox outbox;
  private final java.time.Clock clock;

  public VersionedWrites(Redis redis, ChangeOutbox outbox, java.time.Clock clock) {
    this.redis = redis;
    this.script = new ContactWriteScript(redis);
    this.answers = new IdempotencyStore(redis);
    this.outbox = outbox;
    this.clock = clock;
  }

  /** The first answer to this key, once its audit entry is durable; empty when the key is new (or absent). */
  public Future<Optional<JsonObject>> replay(String prisonerId, IdempotencyKey idem) {
    if (idem == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return answers.find(Keys.contactsIdempotency(prisonerId, idem.digest()), idem)
        .compose(stored -> stored.isEmpty() ? Future.succeededFuture(Optional.empty())
            : finishReplay(prisonerId, idem, stored.get()).map(Optional::of));
  }

  private Future<JsonObject> finishReplay(String prisonerId, IdempotencyKey idem, JsonObject stored) {
    JsonObject answer = idem.check(stored);
    return outbox.completeIfParked(prisonerId, answer.getString("change_id"))
        .recover(e -> Future.failedFuture(auditPending(e))).map(IdempotencyKey.result(answer));
  }

  /** Runs the write; succeeds with {@link Outcome.Done} only once the audit entry is durable. */
  public Future<Outcome> commit(Write w) {
    String changeId = UUID.randomUUID().toString();
    long now = clock.millis();
    AuditEvent audit = withChangeId(w.audit(), changeId);
    JsonObject entry = ChangeOutbox.entry(changeId, w.prisonerId(), now, AuditJson.toJson(audit), w.change());
    JsonObject written = new JsonObject().put("created", w.created()).put("body", w.answerBody());
    String answer = w.idem() == null ? null : w.idem().stored(changeId, written).encode();
    ContactWriteScript.Keyset keys = ContactWriteScript.keys(w.prisonerId(), w.target().recordKey(), w.target().versionsKey(),
        w.idem() == null ? null : w.idem().digest(), w.partyId());
    // index first, so the sweeper finds this prisoner's outbox even if the node dies right after the script
    return outbox.mark(w.prisonerId())
        .compose(v -> script.run(keys, w.mode(), w.expectedVersion(), w.entry().toJson().encode(), changeId,
            entry.encode(), answer, IdempotencyKey.TTL.toSeconds(), w.indexScore(), w.indexMember(),
            w.claim() == null ? ContactWriteScript.PartyClaim.NONE : w.claim(), w.contactId(), w.fields()))
        .compose(result -> switch (result) {
          case ContactWriteScript.Result.Ok ok -> outbox.complete(entry, ok.revision())
              .recover(e -> Future.failedFuture(auditPending(e)))
              .map(x -> (Outcome) new Outcome.Done(written));
          case ContactWriteScript.Result.Replay r -> finishReplay(w.prisonerId(), w.idem(), new JsonObject(r.answer()))
              .map(Outcome.Done::new);
          case ContactWriteScript.Result.Stale st -> Future.succeededFuture(new Outcome.Stale(st.current()));
          case ContactWriteScript.Result.Missing m -> Future.succeededFuture(new Outcome.Missing());
          case ContactWriteScript.Result.Exists e -> Future.succeededFuture(new Outcome.Exists());
          case ContactWriteScript.Result.Duplicate d -> Future.succeededFuture(new Outcome.Duplicate(d.contactId()));
        });
  }

  /** The change is saved but not yet on the audit record: not acknowledged, and completed later from the outbox. */
  private static DomainException auditPending(Throwable cause) {
    org.slf4j.LoggerFactory.getLogger(VersionedWrites.class).warn("a change is saved but its audit entry is pending", cause);
    return DomainException.unavailable("AUDIT_PENDING", "The change was saved but its audit entry could not be written yet; "
        + "it will be written shortly. Retry with the same Idempotency-Key to get the answer.");
  }

  private static AuditEvent withChangeId(AuditEvent e, String changeId) {
    JsonObject details = e.details().copy().put("change_id", changeId);
    return new AuditEvent(e.action(), e.actorId(), e.actorRole(), e.establishment(), e.prisonerId(), e.contactId(),
        e.outcome(), details);
  }
}
