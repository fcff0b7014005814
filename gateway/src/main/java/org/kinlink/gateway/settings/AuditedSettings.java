package org.kinlink.gateway.settings;

import io.lettuce.core.KeyValue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.audit.IndexedOutboxLane;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings kept as fields of a Redis hash (an establishment's call settings, its message retention),
 * whose changes commit together with their audit entry, as every audited write does through the
 * {@link AuditOutbox}: {@code settings-write.lua} replaces the fields only if they still hold what was
 * read and parks the entry in the hash's outbox in the same step; the writer appends it before
 * answering, and any node's sweeper appends what a dead node (or a failed append) left after
 * {@link #GRACE}.
 *
 * <p>Two admins changing the same settings at once on two nodes: the second write finds the fields
 * changed, reads again and records what it really replaced. A change waits until the entry of the one
 * before it is appended (the writer appends it itself), so the log lists the changes in the order
 * they were stored and its last entry is the value stored now.
 */
public final class AuditedSettings extends IndexedOutboxLane {
  private static final Logger log = LoggerFactory.getLogger(AuditedSettings.class);
  /**
   * Reads before giving up on settings that others keep changing: each try that loses did so to a
   * change that was made, so this only ends a crowd of admins saving at the same moment.
   */
  private static final int MAX_TRIES = 20;

  /** One settings hash, the fields a change replaces, and its outbox (the hash's slot). */
  public record Target(String hashKey, String outboxKey, List<String> fields) {
    public Target {
      fields = List.copyOf(fields);
    }
  }

  /** The new value of every one of the target's fields, and the event that puts the change on record. */
  public record Change(Map<String, String> next, AuditEvent event) {
    public Change {
      next = Map.copyOf(next);
      if (next.values().stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("a setting is never the empty string (the script reads that as absent)");
      }
    }
  }

  /** Whether the settings were changed (and the change is on record) or already held what was asked. */
  public enum Outcome {
    CHANGED,
    UNCHANGED
  }

  private final Redis redis;
  private final SettingsWriteScript write;
  private final Clock clock;

  /** @param index a sorted set of the outboxes that may hold entries (member: outbox key), for the sweeper */
  public AuditedSettings(Redis redis, AuditLog audit, Clock clock, String index) {
    super(redis, audit, clock, index, UnaryOperator.identity());
    this.redis = redis;
    this.clock = clock;
    this.write = new SettingsWriteScript(redis);
  }

  /** The target's fields as stored (an absent field is absent from the map). */
  public Future<Map<String, String>> read(Target target) {
    return redis.<List<KeyValue<String, String>>>call(
        c -> c.hmget(target.hashKey(), target.fields().toArray(String[]::new))).map(values -> {
          Map<String, String> read = new HashMap<>();
          values.stream().filter(KeyValue::hasValue).forEach(kv -> read.put(kv.getKey(), kv.getValue()));
          return read;
        });
  }

  /**
   * Reads the target's fields and asks {@code decide} what to change (empty: nothing, so nothing is
   * written or appended); writes the change with its parked audit entry and completes once the entry
   * is appended. A change saved whose append failed is {@code AUDIT_PENDING} (the sweeper appends it).
   */
  public Future<Outcome> change(Target target, Function<Map<String, String>, Optional<Change>> decide) {
    return attempt(target, decide, 1);
  }

  private Future<Outcome> attempt(Target target, Function<Map<String, String>, Optional<Change>> decide, int tries) {
    return read(target).compose(read -> {
      Optional<Change> change = decide.apply(read);
      if (change.isEmpty()) {
        return Future.succeededFuture(Outcome.UNCHANGED);
      }
      if (!change.get().next().keySet().equals(new HashSet<>(target.fields()))) {
        return Future.failedFuture(new IllegalArgumentException("a change gives every field of " + target.hashKey()));
      }
      JsonObject entry = AuditOutbox.entry(AuditOutbox.newChangeId(), clock.millis(), change.get().event());
      // noted before the write, so a sweeper finds the entry if this node dies after it
      return mark(target.outboxKey()).compose(v -> write.run(target, read, change.get().next(), entry)).compose(result -> switch (result) {
        case WRITTEN -> outbox().complete(target.outboxKey(), entry).transform(done -> done.succeeded()
            ? Future.succeededFuture(Outcome.CHANGED) : Future.failedFuture(auditPending(target, done.cause())));
        case STALE -> tries >= MAX_TRIES ? Future.failedFuture(busy()) : attempt(target, decide, tries + 1);
        case EARLIER_PARKED -> completeParked(target)
            .compose(v -> tries >= MAX_TRIES ? Future.failedFuture(busy()) : attempt(target, decide, tries + 1));
      });
    });
  }

  /** Appends what earlier changes left parked, oldest first; nothing is changed while that fails. */
  private Future<Void> completeParked(Target target) {
    return redis.<Map<String, String>>call(c -> c.hgetall(target.outboxKey())).compose(parked -> {
      List<JsonObject> entries = parked.values().stream().map(JsonObject::new)
          .sorted(Comparator.comparingLong(e -> e.getLong("at", 0L))).toList();
      Future<Void> chain = Future.succeededFuture();
      for (JsonObject entry : entries) {
        chain = chain.compose(v -> outbox().complete(target.outboxKey(), entry));
      }
      return chain.recover(e -> {
        log.warn("an earlier change of {} is still not on record; the next one waits for it", target.hashKey(), e);
        return Future.failedFuture(DomainException.unavailable("AUDIT_UNAVAILABLE", "Nothing was changed: the audit "
            + "record of the last change to these settings cannot be written just now, and a change is made only once "
            + "the one before it is on record. Try again in a minute."));
      });
    });
  }

  private static DomainException auditPending(Target target, Throwable cause) {
    log.warn("a change of {} is saved but its audit entry is pending (the outbox completes it)", target.hashKey(), cause);
    return DomainException.unavailable("AUDIT_PENDING", "The change was saved, but its audit record could not be written "
        + "yet; it will be written shortly. Look at the settings before you change them again.");
  }

  private static DomainException busy() {
    return DomainException.conflict("SETTINGS_BUSY", "These settings were being changed by someone else at the same time. "
        + "Look at them again, then make your change.");
  }
}
