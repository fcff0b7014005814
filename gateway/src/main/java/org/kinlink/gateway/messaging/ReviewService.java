package org.kinlink.gateway.messaging;

import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.domain.DomainException;

/**
 * Security's review of held messages, per establishment, oldest first. A message of an
 * inter-prison thread is delivered once every establishment that must review it released it;
 * either may reject. The sender learns only the outcome. Privileged messages are never held, so
 * never here. Every decision is audited, and so is every look at the queue (it shows bodies).
 */
public final class ReviewService {
  private final MessageStore store;
  private final ConversationKeys keys;
  private final Deliveries deliveries;
  private final Retention retention;
  private final AuditLog audit;
  private final Clock clock;

  ReviewService(MessageStore store, ConversationKeys keys, Deliveries deliveries, Retention retention, AuditLog audit,
      Clock clock) {
    this.retention = retention;
    this.store = store;
    this.keys = keys;
    this.deliveries = deliveries;
    this.audit = audit;
    this.clock = clock;
  }

  /** The caller's establishment's queue, oldest first. */
  public Future<JsonObject> list(Principal p, int limit, String cursor) {
    requireSecurity(p);
    String est = p.establishment();
    double from = 0;
    String afterId = null;
    if (cursor != null) {
      String raw = Cursors.decode(cursor, "cursor");
      int bar = raw.indexOf('|');
      if (!raw.startsWith("q:") || bar < 0) {
        throw Cursors.bad("cursor");
      }
      try {
        from = Double.parseDouble(raw.substring(2, bar));
      } catch (NumberFormatException e) {
        throw Cursors.bad("cursor");
      }
      afterId = raw.substring(bar + 1);
    }
    String skipUpTo = afterId;
    double fromScore = from;
    Instant now = clock.instant();
    return store.queued(est, from, limit + 50).compose(queued -> {
      List<ScoredValue<String>> page = queued.stream()
          .filter(sv -> skipUpTo == null || sv.getScore() > fromScore || sv.getValue().compareTo(skipUpTo) > 0).toList();
      List<Future<Optional<JsonObject>>> items = page.stream().map(sv -> item(est, sv.getValue(), (long) sv.getScore(), now)).toList();
      return Future.all(items).compose(v -> {
        List<JsonObject> out = new ArrayList<>();
        String next = null;
        for (int i = 0; i < page.size() && out.size() < limit; i++) {
          Optional<JsonObject> item = items.get(i).result();
          if (item.isPresent()) {
            out.add(item.get());
            if (out.size() == limit && i + 1 < page.size()) {
              next = Cursors.encode("q:" + page.get(i).getScore() + "|" + page.get(i).getValue());
            }
          }
        }
        String nextCursor = next;
        return store.counts(est).compose(counts -> audit.append(AuditEvent.by(p, "message.review.list").outcome("OK")
            .detail("shown", new JsonArray(out.stream().map(j -> j.getString("id")).toList())).build())
            .map(e -> new JsonObject().put("items", new JsonArray(out)).put("next_cursor", nextCursor)
                .put("counts", new JsonObject().put("waiting", counts.waiting()).put("oldest_waiting_seconds",
                    counts.oldestMillis() == null ? 0 : Math.max(0, (now.toEpochMilli() - counts.oldestMillis()) / 1000)))));
      });
    });
  }

  /**
   * One queue entry as security sees it; a stale entry (already decided, or never written) is
   * dropped. A message is queued beside its record's write, so one without a record yet is dropped
   * only once that write is long over: were it still to come, the send's outbox sweeper queues it again.
   */
  private Future<Optional<JsonObject>> item(String est, String messageId, long queuedAtMillis, Instant now) {
    String[] parts;
    try {
      parts = MessagingService.parse(messageId);
    } catch (DomainException e) {
      return store.dequeue(est, messageId).map(v -> Optional.empty());
    }
    return store.get(parts[0], parts[1]).compose(found -> {
      if (found.isEmpty() && now.toEpochMilli() - queuedAtMillis < MessageOutbox.GRACE.toMillis()) {
        return Future.succeededFuture(Optional.<JsonObject>empty());
      }
      if (found.isEmpty() || !awaits(found.get(), est)) {
        return store.dequeue(est, messageId).map(v -> Optional.<JsonObject>empty());
      }
      JsonObject r = found.get();
      return keys.open(parts[0], parts[1], r.getString("body")).map(body -> Optional.of(view(r, est, body, now)));
    });
  }

  private static boolean awaits(JsonObject r, String est) {
    if (!"HELD".equals(r.getString("status")) || r.getBoolean("privileged", false)) {
      return false;
    }
    JsonObject review = r.getJsonObject("review", new JsonObject());
    return MessageStore.strings(review, "required").contains(est) && !MessageStore.strings(review, "released").contains(est);
  }

  private static JsonObject view(JsonObject r, String est, String body, Instant now) {
    JsonObject review = r.getJsonObject("review", new JsonObject());
    List<JsonObject> sides = MessageStore.objects(r, "sides");
    JsonObject prisoner = sides.stream().filter(s -> est.equals(s.getString("establishment"))).findFirst().orElse(sides.get(0));
    JsonObject sender = MessageViews.side(r, r.getString("from"));
    JsonObject recipient = sides.stream().filter(s -> !s.getString("id").equals(r.getString("from"))).findFirst().orElse(new JsonObject());
    Instant held = Instant.parse(r.getString("held_at"));
    JsonObject photo = r.getJsonObject("photo");
    JsonObject j = new JsonObject().put("id", r.getString("id")).put("kind", photo != null ? "PHOTO" : "MESSAGE")
        .put("contact_id", prisoner.getString("contact_id"))
        .put("prisoner", new JsonObject().put("prison_number", prisoner.getString("prison_number")).put("name", prisoner.getString("name")))
        .put("from", party(sender)).put("to", party(recipient))
        .put("held_at", held.toString()).put("waiting_seconds", Math.max(0, Duration.between(held, now).toSeconds()))
        .put("rules", new JsonArray(MessageStore.objects(review, "rules")))
        .put("body", body).put("highlights", new JsonArray(MessageStore.objects(review, "highlights")));
    if (photo != null) {
      String url = "/api/v1/conversations/" + prisoner.getString("contact_id") + "/photos/" + r.getString("id");
      j.put("photo", photo.copy().put("url", url).put("thumb_url", url + "?size=thumb"));
    }
    JsonObject child = sender.getJsonObject("on_behalf_of") != null ? sender.getJsonObject("on_behalf_of")
        : recipient.getJsonObject("on_behalf_of");
    if (child != null) {
      j.put("on_behalf_of", new JsonObject().put("name", child.getString("name")));
    }
    return j;
  }

  private static JsonObject party(JsonObject side) {
    return new JsonObject().put("name", side.getString("name")).put("kind", side.getString("kind"));
  }

  /** Release or reject, with a reason; answers the message's outcome for this establishment. */
  public Future<JsonObject> decide(Principal p, String messageId, String outcome, String reason) {
    requireSecurity(p);
    if (!"RELEASE".equals(outcome) && !"REJECT".equals(outcome)) {
      throw DomainException.invalid("INVALID_REQUEST", "outcome must be RELEASE or REJECT.", "outcome");
    }
    if (reason == null || reason.isBlank() || reason.length() > 1000) {
      throw DomainException.invalid("REASON_REQUIRED", "Say why (1 to 1000 characters); the sender never sees it.", "reason");
    }
    String[] parts = MessagingService.parse(messageId);
    String est = p.establishment();
    return store.get(parts[0], parts[1]).compose(found -> {
      if (found.isEmpty() || r(found).getBoolean("privileged", false)
          || !MessageStore.strings(r(found).getJsonObject("review", new JsonObject()), "required").contains(est)) {
        return Future.failedFuture(DomainException.notFound("There is no such held message in your establishment."));
      }
      JsonObject record = found.get();
      if (!awaits(record, est)) {
        return Future.failedFuture(DomainException.conflict("ALREADY_DECIDED", "This message has already been decided."));
      }
      JsonObject sender = MessageViews.side(record, record.getString("from"));
      JsonObject prisoner = MessageStore.objects(record, "sides").stream().filter(s -> est.equals(s.getString("establishment")))
          .findFirst().orElse(sender);
      AuditEvent.Builder event = AuditEvent.by(p, "message.review").prisoner(prisoner.getString("id"))
          .contact(prisoner.getString("contact_id")).outcome("RELEASE".equals(outcome) ? "RELEASED" : "REJECTED")
          .detail("message_id", messageId).detail("reason", reason);
      List<String> ests = MessageStore.strings(record.getJsonObject("review"), "required");
      if (ests.size() > 1) {
        event.detail("establishments", new JsonArray(ests));
      }
      List<String> released = MessageStore.strings(record.getJsonObject("review"), "released");
      boolean last = "REJECT".equals(outcome) || ests.stream().allMatch(x -> x.equals(est) || released.contains(x));
      return audit.append(event.build()).compose(e -> last ? retention.start(messageId) : Future.succeededFuture())
          .compose(v -> deliveries.change(record, rec -> {
        if (!awaits(rec, est)) {
          return null;
        }
        JsonObject review = rec.getJsonObject("review").copy();
        String now = clock.instant().toString();
        if ("REJECT".equals(outcome)) {
          review.put("rejected_by", est).put("reason", reason);
          return rec.put("review", review).put("status", "REJECTED").put("decided_at", now);
        }
        List<String> now2 = new ArrayList<>(MessageStore.strings(review, "released"));
        now2.add(est);
        review.put("released", new JsonArray(now2));
        rec.put("review", review);
        if (now2.containsAll(MessageStore.strings(review, "required"))) {
          rec.put("status", "SENT").put("decided_at", now);
        }
        return rec;
      })).compose(updated -> {
        Future<Void> dq = "REJECTED".equals(updated.getString("status"))
            ? Future.all(ests.stream().map(x -> store.dequeue(x, messageId)).toList()).mapEmpty()
            : store.dequeue(est, messageId);
        if ("SENT".equals(updated.getString("status"))) {
          deliveries.announce(updated, null, MessageViews.recipients(updated), "message.new");
        }
        return dq.map(v -> new JsonObject().put("id", messageId).put("outcome", outcome)
            .put("status", updated.getString("status")));
      });
    });
  }

  private static JsonObject r(Optional<JsonObject> found) {
    return found.get();
  }

  private static void requireSecurity(Principal p) {
    if (p.role() != Role.SECURITY) {
      throw DomainException.forbidden("Only security staff review held messages.");
    }
  }
}
