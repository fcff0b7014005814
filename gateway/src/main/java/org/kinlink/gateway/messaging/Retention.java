package org.kinlink.gateway.messaging;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.contacts.PolicySnapshots;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message bodies are kept for a retention time after delivery (or rejection), then deleted; what
 * happened (the audit entries, the record's metadata) stays. Security can hold a conversation
 * (audited) so its bodies are kept. Any node may sweep: a body is deleted once whoever gets there
 * first, by the record's version check.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  /** Default retention after delivery (the 90 days; per-establishment settings are not built yet). */
  public static final Duration DEFAULT = Duration.ofDays(90);
  static final int BATCH = 200;

  private final Redis redis;
  private final MessageStore store;
  private final Deliveries deliveries;
  private final Conversations conversations;
  private final PolicySnapshots snapshots;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration keep;
  private long timer = -1;

  Retention(Redis redis, MessageStore store, Deliveries deliveries, Conversations conversations, PolicySnapshots snapshots,
      AuditLog audit, Clock clock, Duration keep) {
    this.redis = redis;
    this.store = store;
    this.deliveries = deliveries;
    this.conversations = conversations;
    this.snapshots = snapshots;
    this.audit = audit;
    this.clock = clock;
    this.keep = keep;
  }

  /** Starts the retention clock of a message (before the write that delivers or rejects it). */
  Future<Void> start(String messageId) {
    return redis.<Long>call(c -> c.zadd(Keys.MESSAGE_RETENTION, (double) clock.millis(), messageId)).mapEmpty();
  }

  void startSweeping(Vertx vertx, Duration every) {
    timer = vertx.setPeriodic(every.toMillis(), t -> sweep().onFailure(e -> log.warn("retention sweep failed: {}", e.toString())));
  }

  void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Deletes the bodies whose time is up (outside held conversations); answers how many. */
  public Future<Integer> sweep() {
    double cutoff = clock.millis() - keep.toMillis();
    return redis.<List<String>>call(c -> c.zrangebyscore(Keys.MESSAGE_RETENTION, Range.create(Double.NEGATIVE_INFINITY, cutoff),
        Limit.create(0, BATCH))).compose(ids -> {
          Future<Integer> done = Future.succeededFuture(0);
          for (String id : ids) {
            done = done.compose(n -> expire(id).map(deleted -> n + (deleted ? 1 : 0)));
          }
          return done;
        });
  }

  private Future<Boolean> expire(String messageId) {
    String[] parts;
    try {
      parts = MessagingService.parse(messageId);
    } catch (DomainException e) {
      return forget(messageId).map(false);
    }
    return redis.<Long>call(c -> c.exists(Keys.conversationHold(parts[0]))).compose(held -> {
      if (held != null && held > 0) {
        return Future.succeededFuture(false); // kept while the hold lasts; looked at again next sweep
      }
      return store.get(parts[0], parts[1]).compose(found -> {
        // a held message is not delivered yet: its time starts again when it is released
        if (found.isEmpty() || !found.get().containsKey("body") || "HELD".equals(found.get().getString("status"))) {
          return forget(messageId).map(false);
        }
        JsonObject r = found.get();
        List<JsonObject> sides = MessageStore.objects(r, "sides");
        JsonObject prisoner = sides.stream().filter(s -> s.getString("prison_number") != null).findFirst().orElse(new JsonObject());
        AuditEvent event = AuditEvent.of("message.retention.delete").actor("system", "SYSTEM")
            .establishment(prisoner.getString("establishment")).prisoner(prisoner.getString("id"))
            .contact(prisoner.getString("contact_id")).outcome("DELETED").detail("message_id", messageId)
            .detail("retention_days", keep.toDays()).build();
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

  private Future<Void> forget(String messageId) {
    return redis.<Long>call(c -> c.zrem(Keys.MESSAGE_RETENTION, messageId)).mapEmpty();
  }

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
              .map(v -> new JsonObject().put("contact_id", contactId).put("held", on)
                  .put("retention_days", keep.toDays()));
        });
  }
}
