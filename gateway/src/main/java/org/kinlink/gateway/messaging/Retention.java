package org.kinlink.gateway.messaging;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.contacts.PolicySnapshots;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.settings.AuditedSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message bodies and photos are kept for their establishment's retention time after delivery (or
 * rejection), then deleted; what happened (the audit entries, the record's metadata) stays. Each
 * establishment's admin sets its time ({@link #setDays}, committed with its audit entry; default 90 days); a thread between
 * two prisons keeps its bodies for the longer of the two. Security can hold a conversation (audited)
 * so its bodies are kept. Any node may sweep: a body is deleted once whoever gets there first, by the
 * record's version check.
 *
 * <p>One index serves every establishment: the sweep looks at what is older than the shortest time in
 * use and decides each message by its own establishments' time as set now, so a longer time protects
 * what is already there at once, and nothing is deleted before its time. A message not due yet is
 * looked at again when it falls due, or after a day, whichever is sooner, so a shortened time
 * applies to it within a day.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  /** Retention after delivery of an establishment that has not set its own (the 90 days). */
  public static final int DEFAULT_DAYS = 90;
  public static final int MIN_DAYS = 7;
  public static final int MAX_DAYS = 3650;
  static final int BATCH = 200;
  /** Batches one sweep handles at most; the rest waits for the next sweep. */
  static final int MAX_BATCHES = 50;
  /** How long a message that is not due yet (or is in a held conversation) waits before it is looked at again. */
  static final Duration RECHECK = Duration.ofDays(1);

  private final Redis redis;
  private final MessageStore store;
  private final Deliveries deliveries;
  private final Conversations conversations;
  private final PolicySnapshots snapshots;
  private final AuditLog audit;
  private final AuditedSettings settingsAudit;
  private final Clock clock;
  private long timer = -1;

  Retention(Redis redis, MessageStore store, Deliveries deliveries, Conversations conversations, PolicySnapshots snapshots,
      AuditLog audit, AuditedSettings settingsAudit, Clock clock) {
    this.redis = redis;
    this.store = store;
    this.deliveries = deliveries;
    this.conversations = conversations;
    this.snapshots = snapshots;
    this.audit = audit;
    this.settingsAudit = settingsAudit;
    this.clock = clock;
  }

  /** Starts the retention clock of a message (beside the write that delivers it, or before the one that rejects it). */
  Future<Void> start(String messageId) {
    return redis.<Long>call(c -> c.zadd(Keys.MESSAGE_RETENTION, (double) clock.millis(), messageId)).mapEmpty();
  }

  /**
   * Starts the retention clock of a message at {@code atMillis} unless it runs already: an outbox
   * sweeper's repair of a send whose node died before it could start the clock itself.
   */
  Future<Void> startIfAbsent(String messageId, long atMillis) {
    return redis.<Long>call(c -> c.zadd(Keys.MESSAGE_RETENTION, io.lettuce.core.ZAddArgs.Builder.nx(), (double) atMillis, messageId))
        .mapEmpty();
  }

  void startSweeping(Vertx vertx, Duration every) {
    timer = vertx.setPeriodic(every.toMillis(), t -> sweep().onFailure(e -> log.warn("retention sweep failed: {}", e.toString())));
  }

  void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  // ------------------------------------------------------------------ the setting

  /** The establishment's retention in days (the default unless its admin set one). */
  public Future<Integer> days(String establishment) {
    return redis.<String>call(c -> c.hget(Keys.MESSAGE_RETENTION_DAYS, establishment)).map(Retention::parseDays);
  }

  /** {@code GET /establishments/{id}/messaging-settings}: the establishment's admin or security. */
  public Future<JsonObject> settings(Principal p, String establishment) {
    if (p.role() != Role.ADMIN && p.role() != Role.SECURITY) {
      return Future.failedFuture(DomainException.forbidden("Only administrators and security see messaging settings."));
    }
    p.requireEstablishment(establishment);
    return days(establishment).map(d -> settingsJson(establishment, d));
  }

  /** An admin sets how long their establishment keeps message bodies and photos after delivery; audited. */
  public Future<JsonObject> setDays(Principal p, String establishment, Integer days) {
    if (p.role() != Role.ADMIN) {
      return Future.failedFuture(DomainException.forbidden("Only administrators change messaging settings."));
    }
    p.requireEstablishment(establishment);
    if (days == null || days < MIN_DAYS || days > MAX_DAYS) {
      return Future.failedFuture(DomainException.invalid("INVALID_RETENTION", "Messages can be kept from " + MIN_DAYS
          + " to " + MAX_DAYS + " days after delivery. Give a whole number of days in that range.", "retention_days"));
    }
    String to = Integer.toString(days);
    // the write script compares what is stored with the value read, so "from" is what this change replaced
    return settingsAudit.change(setting(establishment), read -> {
      int before = parseDays(read.get(establishment));
      return before == days ? Optional.empty() : Optional.of(new AuditedSettings.Change(Map.of(establishment, to),
          AuditEvent.by(p, "messaging.settings.change").outcome("OK")
              .detail("setting", "retention_days").detail("from", before).detail("to", days).build()));
    }).map(outcome -> settingsJson(establishment, days));
  }

  /** The establishment's field of the one retention hash, and its outbox beside it. */
  private static AuditedSettings.Target setting(String establishment) {
    return new AuditedSettings.Target(Keys.MESSAGE_RETENTION_DAYS, Keys.messageRetentionOutbox(establishment), List.of(establishment));
  }

  private static int parseDays(String stored) {
    return stored == null ? DEFAULT_DAYS : Integer.parseInt(stored);
  }

  private static JsonObject settingsJson(String establishment, int days) {
    return new JsonObject().put("establishment", establishment).put("retention_days", days)
        .put("default_retention_days", DEFAULT_DAYS);
  }

  // ------------------------------------------------------------------ the sweep

  /** Deletes the bodies whose time is up (outside held conversations); answers how many. */
  public Future<Integer> sweep() {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.MESSAGE_RETENTION_DAYS)).compose(set -> {
      Periods periods = new Periods(set == null ? Map.of() : set);
      return sweep(periods, 0, 0);
    });
  }

  private Future<Integer> sweep(Periods periods, int batch, int deleted) {
    long now = clock.millis();
    double cutoff = now - periods.shortest().toMillis();
    return redis.<List<String>>call(c -> c.zrangebyscore(Keys.MESSAGE_RETENTION, Range.create(Double.NEGATIVE_INFINITY, cutoff),
        Limit.create(0, BATCH))).compose(ids -> {
          Future<Integer> done = Future.succeededFuture(deleted);
          for (String id : ids) {
            done = done.compose(n -> expire(id, periods, now).map(gone -> n + (gone ? 1 : 0)));
          }
          // every id looked at left the range (deleted, forgotten or put later): the next batch is new
          return ids.size() < BATCH || batch + 1 >= MAX_BATCHES ? done : done.compose(n -> sweep(periods, batch + 1, n));
        });
  }

  private Future<Boolean> expire(String messageId, Periods periods, long now) {
    String[] parts;
    try {
      parts = MessagingService.parse(messageId);
    } catch (DomainException e) {
      return forget(messageId).map(false);
    }
    return redis.<Long>call(c -> c.exists(Keys.conversationHold(parts[0]))).compose(held -> {
      if (held != null && held > 0) {
        return lookAgain(messageId, now + RECHECK.toMillis(), periods).map(false); // kept while the hold lasts
      }
      return store.get(parts[0], parts[1]).compose(found -> {
        // a held message is not delivered yet: its time starts again when it is released
        if (found.isEmpty() || !found.get().containsKey("body") || "HELD".equals(found.get().getString("status"))) {
          return forget(messageId).map(false);
        }
        JsonObject r = found.get();
        List<JsonObject> sides = MessageStore.objects(r, "sides");
        int days = sides.stream().map(s -> s.getString("establishment")).filter(java.util.Objects::nonNull)
            .mapToInt(periods::days).max().orElse(DEFAULT_DAYS);
        long due = started(r).plus(Duration.ofDays(days)).toEpochMilli();
        if (now < due) {
          return lookAgain(messageId, Math.min(due, now + RECHECK.toMillis()), periods).map(false);
        }
        JsonObject prisoner = sides.stream().filter(s -> s.getString("prison_number") != null).findFirst().orElse(new JsonObject());
        AuditEvent event = AuditEvent.of("message.retention.delete").actor("system", "SYSTEM")
            .establishment(prisoner.getString("establishment")).prisoner(prisoner.getString("id"))
            .contact(prisoner.getString("contact_id")).outcome("DELETED").detail("message_id", messageId)
            .detail("retention_days", days).build();
        return audit.append(event)
            .compose(e -> deliveries.change(r, rec -> {
              if (!rec.containsKey("body")) {
                return null;
              }
              rec.remove("body");
              return rec.put("body_deleted_at", clock.instant().toString());
            }))
            .compose(rec -> r.containsKey("photo") ? store.deletePhoto(parts[0], parts[1]) : Future.<Void>succeededFuture())
            .compose(v -> forget(messageId)).map(true);
      });
    });
  }

  /** When the message's time started: the review decision that let it go (or rejected it), else its sending. */
  private static Instant started(JsonObject record) {
    String at = record.getString("decided_at", record.getString("created_at"));
    return at == null ? Instant.EPOCH : Instant.parse(at);
  }

  /** Puts the message where the sweep's cutoff reaches it at {@code atMillis}. */
  private Future<Void> lookAgain(String messageId, long atMillis, Periods periods) {
    double score = atMillis - periods.shortest().toMillis();
    return redis.<Long>call(c -> c.zadd(Keys.MESSAGE_RETENTION, score, messageId)).mapEmpty();
  }

  private Future<Void> forget(String messageId) {
    return redis.<Long>call(c -> c.zrem(Keys.MESSAGE_RETENTION, messageId)).mapEmpty();
  }

  /** The retention times set now, one read per sweep. */
  private record Periods(Map<String, String> set) {
    int days(String establishment) {
      String v = set.get(establishment);
      try {
        return v == null ? DEFAULT_DAYS : Integer.parseInt(v);
      } catch (NumberFormatException e) {
        return MAX_DAYS; // unreadable: keep rather than delete
      }
    }

    Duration shortest() {
      int min = DEFAULT_DAYS;
      for (String est : set.keySet()) {
        min = Math.min(min, days(est));
      }
      return Duration.ofDays(min);
    }
  }

  // ------------------------------------------------------------------ holds

  /** Security places a hold on (or lifts it from) the conversation of one of its establishment's contacts. */
  public Future<JsonObject> hold(Principal p, String contactId, boolean on, String reason) {
    if (p.role() != Role.SECURITY) {
      return Future.failedFuture(DomainException.forbidden("Only security staff hold conversations."));
    }
    if (reason == null || reason.isBlank() || reason.length() > 1000) {
      return Future.failedFuture(DomainException.invalid("REASON_REQUIRED", "Say why (1 to 1000 characters).", "reason"));
    }
    return snapshots.ownerOf(contactId).compose(owner -> owner.isEmpty()
        ? Future.failedFuture(DomainException.notFound("No such contact in your establishment."))
        : snapshots.get(owner.get()).compose(snap -> snap.contact(contactId)
            .map(c -> conversations.build(snap, c))
            .orElseGet(() -> Future.failedFuture(DomainException.notFound("No such contact in your establishment.")))))
        .compose(conv -> {
          Conversation.Side prisoner = conv.sides().get(0);
          p.requireEstablishment(prisoner.establishment());
          AuditEvent.Builder event = AuditEvent.by(p, on ? "message.retention.hold" : "message.retention.release")
              .prisoner(prisoner.personId()).contact(contactId).outcome("OK").detail("conversation", conv.id())
              .detail("reason", reason);
          String key = Keys.conversationHold(conv.id());
          JsonObject hold = new JsonObject().put("by", p.accountId()).put("reason", reason).put("at", clock.instant().toString());
          return audit.append(event.build())
              .compose(e -> on ? redis.<String>call(c -> c.set(key, hold.encode())).mapEmpty()
                  : redis.<Long>call(c -> c.del(key)).mapEmpty())
              .compose(v -> days(prisoner.establishment()))
              .map(days -> new JsonObject().put("contact_id", contactId).put("held", on).put("retention_days", days));
        });
  }
}
