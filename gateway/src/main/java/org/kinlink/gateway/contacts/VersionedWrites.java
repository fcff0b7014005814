package org.kinlink.gateway.contacts;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * Runs versioned writes (contacts and clearance) the one safe way: compare-and-set in one Lua script
 * in the prisoner's slot, then announce, audit, and only then answer. A retry with the same
 * {@code Idempotency-Key} gets the first answer (after finishing the first attempt's audit if it
 * had not finished).
 */
public final class VersionedWrites {
  private static final LuaScript WRITE = LuaScript.load("contacts-write");

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
   * @param answerBody what the client is told on success (remembered for retries)
   * @param indexKey for {@link Mode#CREATE}: the prisoner's contact index, scored by {@code indexScore}
   */
  public record Write(Mode mode, String prisonerId, String recordKey, String versionsKey, int expectedVersion,
      PolicyVersion entry, List<String> fields, AuditEvent audit, ContactChange change, Idempotency idem,
      int answerStatus, JsonObject answerBody, String indexKey, long indexScore, String indexMember) {}

  /** What came of a write. */
  public sealed interface Outcome {
    /** Written (or replayed): the answer to give, {@code {status, body}}. */
    record Done(JsonObject answer) implements Outcome {}

    /** The record is at another version. */
    record Stale(int current) implements Outcome {}

    /** The record does not exist. */
    record Missing() implements Outcome {}

    /** The record already exists (create). */
    record Exists() implements Outcome {}
  }

  private final Redis redis;
  private final ChangeOutbox outbox;
  private final java.time.Clock clock;

  public VersionedWrites(Redis redis, ChangeOutbox outbox, java.time.Clock clock) {
    this.redis = redis;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** The first answer to this key, once its audit entry is durable; empty when the key is new (or absent). */
  public Future<Optional<JsonObject>> replay(String prisonerId, Idempotency idem) {
    if (idem == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return redis.<String>call(c -> c.get(Keys.contactsIdempotency(prisonerId, idem.digest())))
        .compose(stored -> stored == null ? Future.succeededFuture(Optional.empty())
            : finishReplay(prisonerId, idem, new JsonObject(stored)).map(Optional::of));
  }

  private Future<JsonObject> finishReplay(String prisonerId, Idempotency idem, JsonObject stored) {
    JsonObject answer = idem.check(stored);
    return outbox.completeIfParked(prisonerId, answer.getString("change_id"))
        .recover(e -> Future.failedFuture(auditPending(e))).map(answer);
  }

  /** Runs the write; succeeds with {@link Outcome.Done} only once the audit entry is durable. */
  public Future<Outcome> commit(Write w) {
    String changeId = UUID.randomUUID().toString();
    long now = clock.millis();
    AuditEvent audit = withChangeId(w.audit(), changeId);
    JsonObject entry = ChangeOutbox.entry(changeId, w.prisonerId(), now, AuditJson.toJson(audit), w.change());
    String answer = w.idem() == null ? "" : w.idem().answer(changeId, w.answerStatus(), w.answerBody()).encode();
    String indexKey = w.indexKey() == null ? Keys.prisonerContacts(w.prisonerId()) : w.indexKey();
    String idemKey = w.idem() == null ? Keys.contactsIdempotency(w.prisonerId(), "none")
        : Keys.contactsIdempotency(w.prisonerId(), w.idem().digest());
    String[] keys = {w.recordKey(), w.versionsKey(), Keys.policyRevision(w.prisonerId()),
        Keys.contactsOutbox(w.prisonerId()), idemKey, indexKey};
    List<String> args = new ArrayList<>(List.of(w.mode().name().toLowerCase(java.util.Locale.ROOT),
        Integer.toString(w.expectedVersion()), w.entry().toJson().encode(), changeId, entry.encode(), answer,
        Long.toString(Idempotency.TTL_SECONDS), Long.toString(w.indexScore()),
        w.indexMember() == null ? "" : w.indexMember()));
    args.addAll(w.fields());
    // index first, so the sweeper finds this prisoner's outbox even if the node dies right after the script
    return redis.call(c -> c.zadd(Keys.CONTACTS_OUTBOX_INDEX, (double) now, w.prisonerId()))
        .compose(v -> redis.<List<Object>>eval(WRITE, ScriptOutputType.MULTI, keys, args.toArray(String[]::new)))
        .compose(result -> {
          String status = String.valueOf(result.get(0));
          String value = String.valueOf(result.get(1));
          return switch (status) {
            case "OK" -> outbox.complete(entry, Long.parseLong(String.valueOf(result.get(2))))
                .recover(e -> Future.failedFuture(auditPending(e)))
                .map(x -> (Outcome) new Outcome.Done(new JsonObject().put("status", w.answerStatus())
                    .put("body", w.answerBody())));
            case "REPLAY" -> finishReplay(w.prisonerId(), w.idem(), new JsonObject(value)).map(Outcome.Done::new);
            case "STALE" -> Future.succeededFuture(new Outcome.Stale(Integer.parseInt(value)));
            case "MISSING" -> Future.succeededFuture(new Outcome.Missing());
            case "EXISTS" -> Future.succeededFuture(new Outcome.Exists());
            default -> Future.failedFuture(new IllegalStateException("unexpected write result " + status));
          };
        });
  }

  /** The change is saved but not yet on the audit record: not acknowledged, and completed later from the outbox. */
  private static ApiException auditPending(Throwable cause) {
    org.slf4j.LoggerFactory.getLogger(VersionedWrites.class).warn("a change is saved but its audit entry is pending", cause);
    return new ApiException(503, "AUDIT_PENDING", "The change was saved but its audit entry could not be written yet; "
        + "it will be written shortly. Retry with the same Idempotency-Key to get the answer.");
  }

  private static AuditEvent withChangeId(AuditEvent e, String changeId) {
    JsonObject details = e.details().copy().put("change_id", changeId);
    return new AuditEvent(e.action(), e.actorId(), e.actorRole(), e.establishment(), e.prisonerId(), e.contactId(),
        e.outcome(), details);
  }
}
