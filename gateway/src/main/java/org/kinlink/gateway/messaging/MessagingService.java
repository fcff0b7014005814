package org.kinlink.gateway.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.contacts.ContactDecisions;
import org.kinlink.gateway.contacts.Parties;
import org.kinlink.gateway.contacts.PolicySnapshots;
import org.kinlink.gateway.contacts.UsageCounters;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.policy.Decision;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.rules.EffectivePolicy;
import org.kinlink.policy.screening.ContentMatch;

/**
 * Sending, reading and receipts: one service behind {@code POST /conversations/{id}/messages} and
 * the {@code message.send} frame. Every send is a fresh decision (current policy, stored usage):
 * PERMIT is stored and delivered, REVIEW (or the random share) is held, DENY is refused with the
 * user-safe reason only. Every outcome is audited with its rule ids and never with the body.
 */
public final class MessagingService {
  static final int MAX_BODY_CHARS = 4000;
  /** Held messages wait for review; nothing of a message is recorded for staff when privilege says so (never held or shown). */
  private static final java.util.Set<org.kinlink.policy.model.ObligationType> ENFORCEABLE = java.util.EnumSet.of(
      org.kinlink.policy.model.ObligationType.REVIEW_BEFORE_DELIVERY, org.kinlink.policy.model.ObligationType.NO_RECORDING);
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  private static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9-]{1,120}");

  private final Conversations conversations;
  private final MessageStore store;
  private final ConversationKeys keys;
  private final ContactDecisions decisions;
  private final PolicySnapshots snapshots;
  private final UsageCounters usage;
  private final AuditLog audit;
  private final RandomHolds randomHolds;
  private final Deliveries deliveries;
  private final Clock clock;
  private final io.vertx.core.Vertx vertx;
  private final SendStages stages;
  private final MessageOutbox outbox;
  private final SendIndexes indexes;

  MessagingService(io.vertx.core.Vertx vertx, Conversations conversations, MessageStore store, ConversationKeys keys, ContactDecisions decisions,
      PolicySnapshots snapshots, UsageCounters usage, AuditLog audit, MessageOutbox outbox, SendIndexes indexes, RandomHolds randomHolds,
      Deliveries deliveries, Clock clock, SendStages stages) {
    this.conversations = conversations;
    this.store = store;
    this.keys = keys;
    this.decisions = decisions;
    this.snapshots = snapshots;
    this.usage = usage;
    this.audit = audit;
    this.randomHolds = randomHolds;
    this.deliveries = deliveries;
    this.clock = clock;
    this.vertx = vertx;
    this.stages = stages;
    this.outbox = outbox;
    this.indexes = indexes;
  }

  /**
   * The answer to a send ({@code id}, {@code status}, {@code decision}, {@code message}).
   *
   * @param created false when the client_id had already made this message (the first answer again)
   */
  public record Sent(boolean created, JsonObject body) {}

  // ---------------------------------------------------------------- send

  /** Sends {@code body} on the caller's conversation {@code contactId}; a repeated {@code clientId} answers the first message. */
  public Future<Sent> send(Principal p, String contactId, String clientId, String body) {
    if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
      return Future.failedFuture(DomainException.invalid("INVALID_REQUEST",
          "client_id must be 1 to 100 letters, digits or . _ : - (a new one for each message).", "client_id"));
    }
    if (body == null || body.isBlank()) {
      return Future.failedFuture(DomainException.invalid("EMPTY_MESSAGE", "Write something before sending.", "body"));
    }
    if (body.length() > MAX_BODY_CHARS) {
      return Future.failedFuture(DomainException.invalid("MESSAGE_TOO_LONG",
          "A message can be at most " + MAX_BODY_CHARS + " characters.", "body"));
    }
    Parties lookups = conversations.lookups();
    Instant now = clock.instant();
    String key = messageKey(p.personId(), clientId);
    long readsStarted = System.nanoTime();
    // The reads a send needs do not depend on each other: the thread and its parties, an earlier
    // message with this client_id and the decision's facts go to Redis together, in one round trip.
    // Beside them goes the one write the record's must follow: the conversation's outbox mark.
    Future<Conversations.Seen> resolved = conversations.resolve(p, contactId, lookups);
    Future<Optional<String>> expectedId = conversations.conversationId(contactId);
    Future<Optional<String>> marked = expectedId.compose(convId -> convId.isEmpty() ? Future.succeededFuture(convId)
        : outbox.mark(convId.get()).map(convId));
    Future<Optional<JsonObject>> earlier = expectedId
        .compose(convId -> convId.isEmpty() ? Future.succeededFuture(Optional.<JsonObject>empty()) : store.get(convId.get(), key));
    ContactDecisions.As as = p.role() == Role.PRISONER ? ContactDecisions.As.PRISONER : ContactDecisions.As.PARTY;
    Future<ContactDecisions.Outcome> decided = decisions.decide(messageAsk(Action.SEND_MESSAGE, contactId, p, as, now, body), lookups);
    return resolved.compose(seen -> {
      Conversation conv = seen.conversation();
      Conversation.Side me = seen.me();
      if (seen.other().personId().startsWith("none:")) {
        return Future.failedFuture(DomainException.rejected("NO_RECIPIENT",
            "Nobody can receive messages for " + seen.other().speaker().name() + " yet.", null));
      }
      Future<Optional<JsonObject>> existing = expectedId.compose(expected -> expected.filter(conv.id()::equals).isPresent()
          ? earlier : store.get(conv.id(), key));
      return existing.compose(found -> {
        if (found.isPresent()) {
          return answer(conv, me, found.get(), false);
        }
        // decided for the side the caller was expected to be; otherwise decided again for the side she is
        Future<ContactDecisions.Outcome> outcome = me.contactId().equals(contactId) && me.isPrisoner() == (as == ContactDecisions.As.PRISONER)
            ? decided : decisions.decide(messageAsk(Action.SEND_MESSAGE, me.contactId(), p, asOf(me), now, body), lookups);
        return outcome.compose(o -> {
          stages.took(SendStages.Stage.READS, readsStarted);
          return store(p, seen, key, clientId, body, null, o, now, markedFor(conv.id(), marked));
        });
      });
    });
  }

  /**
   * Sends a photo on the caller's conversation: refused with 400 unless it is a JPEG or PNG within
   * {@link PhotoImages} limits, then re-encoded on a worker (no metadata survives) and sent like a
   * message (its own SEND_PHOTO decision; held for review when the policy reviews photos).
   */
  public Future<Sent> sendPhoto(Principal p, String contactId, String clientId, byte[] upload) {
    if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
      return Future.failedFuture(DomainException.invalid("INVALID_REQUEST",
          "client_id must be 1 to 100 letters, digits or . _ : - (a new one for each photo).", "client_id"));
    }
    Parties lookups = conversations.lookups();
    return conversations.resolve(p, contactId, lookups).compose(seen -> {
      Conversation conv = seen.conversation();
      if (seen.other().personId().startsWith("none:")) {
        return Future.failedFuture(DomainException.rejected("NO_RECIPIENT",
            "Nobody can receive messages for " + seen.other().speaker().name() + " yet.", null));
      }
      String key = messageKey(seen.me().personId(), clientId);
      return store.get(conv.id(), key).compose(existing -> existing.isPresent()
          ? answer(conv, seen.me(), existing.get(), false)
          : vertx.<PhotoImages.Clean>executeBlocking(() -> PhotoImages.clean(upload), false)
              .compose(clean -> {
                Instant now = clock.instant();
                return decisions.decide(messageAsk(Action.SEND_PHOTO, seen.me().contactId(), p, asOf(seen.me()), now, null), lookups)
                    .compose(o -> store(p, seen, key, clientId, "", clean, o, now, outbox.mark(conv.id())));
              }));
    });
  }

  private static ContactDecisions.Ask messageAsk(Action action, String contactId, Principal p, ContactDecisions.As as, Instant now,
      String text) {
    return new ContactDecisions.Ask(action, contactId, p, as, now, List.of(), null, text, action == Action.SEND_PHOTO, ENFORCEABLE);
  }

  private static ContactDecisions.As asOf(Conversation.Side me) {
    return me.isPrisoner() ? ContactDecisions.As.PRISONER : ContactDecisions.As.PARTY;
  }

  /** The outbox mark the send made beside its reads, or a new one when the thread turned out another. */
  private Future<Void> markedFor(String conversationId, Future<Optional<String>> marked) {
    return marked.compose(id -> id.filter(conversationId::equals).isPresent() ? Future.<Void>succeededFuture()
        : outbox.mark(conversationId));
  }

  /**
   * Audits a refused send; otherwise stores the message with its audit event parked beside it,
   * announces it, and appends the event to the chain after answering ({@link MessageOutbox}).
   *
   * @param marked the conversation's outbox mark, which must be in Redis before the record
   */
  private Future<Sent> store(Principal p, Conversations.Seen seen, String key, String clientId, String body,
      PhotoImages.Clean photo, ContactDecisions.Outcome outcome, Instant now, Future<Void> marked) {
    Conversation conv = seen.conversation();
    Conversation.Side me = seen.me();
    String action = photo == null ? "message.send" : "photo.send";
    Decision d = outcome.decision();
    String id = messageId(conv.id(), key);
    if (d.effect() == Effect.DENY) {
      return audit.append(event(p, conv, me, action, "DENIED", id, clientId, d, false).build())
          .compose(e -> Future.failedFuture(refused(d, photo == null ? "body" : "photo")));
    }
    boolean random = !conv.privileged() && d.effect() == Effect.PERMIT && randomHolds.hold();
    boolean held = !conv.privileged() && (d.effect() == Effect.REVIEW || random);
    JsonObject record = new JsonObject().put("id", id).put("key", key).put("conv", conv.id())
        .put("seq", 0).put("from", me.personId()).put("client_id", clientId)
        .put("status", held ? "HELD" : "SENT").put("created_at", now.toString())
        .put("privileged", conv.privileged()).put("sides", MessageViews.sides(conv));
    if (held) {
      record.put("held_at", now.toString()).put("review", review(conv, d, random));
    }
    if (photo != null) {
      record.put("photo", new JsonObject().put("width", photo.width()).put("height", photo.height())
          .put("content_type", "image/jpeg"));
    }
    JsonObject parked = outbox.entry(id, event(p, conv, me, action, held ? "HELD" : "DELIVERED", id, clientId, d, random).build(),
        held ? conv.establishments() : List.of());
    Future<String> sealed = keys.seal(conv.id(), key, body);
    Future<Void> photoStored = photo == null ? Future.succeededFuture() : storePhoto(conv.id(), key, photo);
    return Future.all(marked, sealed, photoStored).compose(v -> {
      long storeStarted = System.nanoTime();
      Future<PutMessageScript.Result> written = store.create(conv.id(), key, record.put("body", sealed.result()), parked);
      // Beside the write, not before it: the review queues (or the retention clock), and the count,
      // which is kept once per message id, so a retry (or a concurrent one that wins the write)
      // never counts the message twice. Should this node die before the index write lands, the
      // outbox sweeper makes it from the parked entry.
      Future<Void> indexed = indexes.index(parked);
      Future<Long> counted = usage.recordMessage(conv.sides().get(0).personId(), me.contactId(), usageSender(me), id, now);
      return written.compose(result -> {
        stages.took(SendStages.Stage.STORE, storeStarted);
        if (!result.written()) {
          return answer(conv, me, result.record(), false); // a concurrent retry with the same client_id won
        }
        Future<Void> paced = outbox.append(conv.id(), parked, indexed);
        return Future.join(indexed, paced).transform(ar -> counted).compose(n -> remaining(me, n))
            .recover(e -> remaining(me))
            .map(left -> {
              deliveries.announce(result.record(), body, held ? List.of(me.personId())
                  : List.of(me.personId(), seen.other().personId()), "message.new");
              return sent(me, result.record(), body, left, true);
            });
      });
    });
  }

  private Future<Void> storePhoto(String convId, String key, PhotoImages.Clean photo) {
    Future<byte[]> full = keys.sealPhoto(convId, key, "full", photo.full());
    Future<byte[]> thumb = keys.sealPhoto(convId, key, "thumb", photo.thumb());
    return Future.all(full, thumb).compose(v -> store.putPhoto(convId, key, full.result(), thumb.result()));
  }

  /** A decrypted photo and its media type. */
  public record PhotoBytes(String contentType, byte[] bytes) {}

  /**
   * The photo of message {@code messageId} on the caller's conversation {@code contactId}
   * ({@code size} "full" or "thumb"): for its participants once visible to them, and for security of
   * an establishment that must review it while it is held. Anything else answers 404.
   */
  public Future<PhotoBytes> photo(Principal p, String contactId, String messageId, String size) {
    String which = size == null ? "full" : size;
    if (!which.equals("full") && !which.equals("thumb")) {
      return Future.failedFuture(DomainException.invalid("INVALID_PARAMETER", "size must be full or thumb.", "size"));
    }
    String[] parts = parse(messageId);
    Future<Boolean> allowed;
    if (p.role() == Role.SECURITY) {
      allowed = store.get(parts[0], parts[1]).map(found -> found.filter(r -> "HELD".equals(r.getString("status"))
          && MessageStore.strings(r.getJsonObject("review", new JsonObject()), "required").contains(p.establishment())
          && !r.getBoolean("privileged", false)
          && sideContact(r, contactId)).isPresent());
    } else {
      allowed = conversations.resolve(p, contactId).compose(seen -> !seen.conversation().id().equals(parts[0])
          ? Future.succeededFuture(false)
          : store.get(parts[0], parts[1]).map(found -> found.filter(r -> MessageViews.visibleTo(r, seen.me().personId())).isPresent()));
    }
    return allowed.compose(ok -> {
      if (!ok) {
        return Future.failedFuture(DomainException.notFound("There is no such photo."));
      }
      return store.photo(parts[0], parts[1], which).compose(sealed -> sealed.isEmpty()
          ? Future.failedFuture(DomainException.notFound("There is no such photo."))
          : keys.openPhoto(parts[0], parts[1], which, sealed.get()).map(b -> new PhotoBytes("image/jpeg", b)));
    });
  }

  private static boolean sideContact(JsonObject record, String contactId) {
    return MessageStore.objects(record, "sides").stream().anyMatch(s -> contactId.equals(s.getString("contact_id")));
  }

  private Future<Sent> answer(Conversation conv, Conversation.Side me, JsonObject record, boolean created) {
    if (!me.personId().equals(record.getString("from"))) {
      return Future.failedFuture(DomainException.conflict("CLIENT_ID_IN_USE", "That client_id belongs to another message."));
    }
    return keys.open(conv.id(), record.getString("key"), record.getString("body"))
        .compose(body -> remaining(me).map(left -> sent(me, record, body, left, created)));
  }

  private static Sent sent(Conversation.Side me, JsonObject record, String body, Integer left, boolean created) {
    JsonObject view = MessageViews.view(record, me.personId(), body);
    String st = record.getString("status");
    JsonObject decision = "HELD".equals(st) ? MessageViews.heldDecision()
        : new JsonObject().put("effect", "PERMIT").put("reasons", new JsonArray()).put("obligations", new JsonArray());
    return new Sent(created, new JsonObject().put("id", record.getString("id")).put("status", st)
        .put("decision", decision).put("message", view).put("remaining_today", left));
  }

  /** The user-safe English text as the message, and its stable public code ({@code reason_code}) for clients to translate. */
  private static DomainException refused(Decision d, String field) {
    Reason deny = d.reasons().stream().filter(r -> r.effect() == Effect.DENY).findFirst().orElse(null);
    String text = deny == null ? "This message cannot be sent." : deny.userText();
    return new DomainException(DomainException.Kind.FORBIDDEN, "MESSAGE_NOT_SENT", text, field,
        new JsonObject().put("reason_code", deny == null ? "NOT_PERMITTED" : deny.publicCode())
            .put("decision", new JsonObject(d.toJson(false))));
  }

  private JsonObject review(Conversation conv, Decision d, boolean random) {
    JsonArray rules = new JsonArray();
    JsonArray highlights = new JsonArray();
    for (Reason r : d.reasons()) {
      if (r.effect() != Effect.REVIEW) {
        continue;
      }
      rules.add(new JsonObject().put("rule", r.rule()).put("text", r.staffText()));
      for (ContentMatch m : r.matches()) {
        highlights.add(new JsonObject().put("start", m.start()).put("end", m.end()).put("rule", r.rule()));
      }
    }
    if (random) {
      rules.add(new JsonObject().put("rule", RandomHolds.RULE).put("text", RandomHolds.STAFF_TEXT));
    }
    return new JsonObject().put("required", new JsonArray(conv.establishments())).put("released", new JsonArray())
        .put("rules", rules).put("highlights", highlights);
  }

  private static AuditEvent.Builder event(Principal p, Conversation conv, Conversation.Side me, String action,
      String outcome, String messageId, String clientId, Decision d, boolean random) {
    Conversation.Side prisoner = me.isPrisoner() ? me : conv.sides().get(0);
    List<String> rules = d == null ? List.of() : d.reasons().stream().map(Reason::rule).distinct().toList();
    AuditEvent.Builder b = AuditEvent.by(p, action).establishment(prisoner.establishment()).prisoner(prisoner.personId())
        .contact(me.contactId()).outcome(outcome).detail("message_id", messageId).detail("conversation", conv.id())
        .detail("rules", new JsonArray(rules)).detail("privileged", conv.privileged());
    if (clientId != null) {
      b.detail("client_id", clientId);
    }
    if (random) {
      b.detail("random_check", true);
    }
    if (conv.establishments().size() > 1) {
      b.detail("establishments", new JsonArray(conv.establishments()));
    }
    return b;
  }

  // ---------------------------------------------------------------- read

  /** The caller's conversations with unread counts and what is left to send today. */
  public Future<JsonObject> conversations(Principal p) {
    return conversations.mine(p).compose(list -> {
      List<Future<JsonObject>> items = list.stream().map(seen -> summary(seen)).toList();
      return Future.all(items).map(v -> new JsonObject()
          .put("items", new JsonArray(items.stream().map(Future::result).toList())).put("next_cursor", null));
    });
  }

  private Future<JsonObject> summary(Conversations.Seen seen) {
    Conversation.Side other = seen.other();
    return store.all(seen.conversation().id()).compose(records -> remaining(seen.me()).map(left -> {
      String viewer = seen.me().personId();
      long unread = records.stream().filter(r -> !viewer.equals(r.getString("from")) && MessageViews.visibleTo(r, viewer)
          && r.getString("read_at") == null).count();
      String last = records.stream().filter(r -> MessageViews.visibleTo(r, viewer)).map(r -> r.getString("created_at"))
          .reduce((a, b) -> b).orElse(null);
      JsonObject with = new JsonObject().put("id", other.onBehalfOf() != null ? other.onBehalfOf().id() : other.personId())
          .put("name", other.speaker().name()).put("kind", other.speaker().kind());
      JsonObject j = new JsonObject().put("contact_id", seen.me().contactId()).put("with", with)
          .put("unread", unread).put("last_message_at", last).put("remaining_today", left)
          .put("can_send", !other.personId().startsWith("none:"));
      if (seen.me().onBehalfOf() != null) {
        j.put("on_behalf_of", new JsonObject().put("id", seen.me().onBehalfOf().id()).put("name", seen.me().onBehalfOf().name()));
      }
      if (other.onBehalfOf() != null) {
        j.put("held_by", new JsonObject().put("name", other.name()));
      }
      return j;
    }));
  }

  /** Messages of the caller's conversation: the latest {@code limit}, or those changed after the cursor. */
  public Future<JsonObject> messages(Principal p, String contactId, String after, int limit) {
    long from = after == null ? -1 : Cursors.feed(after, "after");
    return conversations.resolve(p, contactId).compose(seen -> {
      String convId = seen.conversation().id();
      String viewer = seen.me().personId();
      // the head is read first: whatever changes in between is in this answer and again after it (clients merge by id)
      Future<Page> page = from < 0
          ? store.head(convId).compose(head -> store.all(convId).map(all -> {
            List<JsonObject> visible = all.stream().filter(r -> MessageViews.visibleTo(r, viewer)).toList();
            return new Page(visible.subList(Math.max(0, visible.size() - limit), visible.size()), head);
          }))
          : store.changedSince(convId, from, limit).map(rs -> new Page(rs, from));
      return page.compose(pg -> deliveries.markDelivered(viewer, pg.records().stream()
          .filter(r -> MessageViews.visibleTo(r, viewer)).toList()).compose(visible -> {
            long read = pg.base();
            for (JsonObject r : pg.records()) {
              read = Math.max(read, r.getLong("feed", 0L));
            }
            // the receipts just written moved their records on in the feed; the cursor skips them only
            // when they took the very next positions (otherwise another change may sit between them)
            java.util.TreeSet<Long> moved = new java.util.TreeSet<>();
            for (JsonObject r : visible) {
              if (r.getLong("feed", 0L) > read) {
                moved.add(r.getLong("feed"));
              }
            }
            long cursor = !moved.isEmpty() && moved.first() == read + 1 && moved.last() == read + moved.size()
                ? moved.last() : read;
            List<Future<JsonObject>> views = visible.stream().map(r -> keys.open(convId, r.getString("key"), r.getString("body"))
                .map(body -> MessageViews.view(r, viewer, body))).toList();
            return Future.all(views).map(v -> {
              List<JsonObject> out = new ArrayList<>(views.stream().map(Future::result).toList());
              out.sort(java.util.Comparator.comparingLong(j -> j.getLong("seq")));
              return new JsonObject().put("items", new JsonArray(out)).put("next_cursor", Cursors.encode(cursor));
            });
          }));
    });
  }

  /** Records of one answer, and the feed position the answer is complete up to (before its records). */
  private record Page(List<JsonObject> records, long base) {}

  /** A read receipt from the recipient. */
  public Future<JsonObject> markRead(Principal p, String messageId) {
    String[] parts = parse(messageId);
    return store.get(parts[0], parts[1]).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(DomainException.notFound("There is no such message."));
      }
      JsonObject record = found.get();
      JsonObject mySide = MessageViews.side(record, p.personId());
      if (mySide.isEmpty() || mySide.getString("contact_id") == null || !MessageViews.visibleTo(record, p.personId())) {
        return Future.failedFuture(DomainException.notFound("There is no such message."));
      }
      return conversations.resolve(p, mySide.getString("contact_id")).compose(seen -> {
        if (p.personId().equals(record.getString("from"))) {
          return Future.succeededFuture(new JsonObject().put("id", messageId).put("status", record.getString("status")));
        }
        return deliveries.markRead(record).map(st -> new JsonObject().put("id", messageId).put("status", st));
      });
    });
  }

  // ---------------------------------------------------------------- helpers

  /** Messages the caller may still send today on this side (null: no limit). */
  private Future<Integer> remaining(Conversation.Side me) {
    return remaining(me, null);
  }

  /**
   * As {@link #remaining(Conversation.Side)}; {@code countedToday}, when known (the count a send just
   * stored answers it), saves reading the counter again.
   */
  private Future<Integer> remaining(Conversation.Side me, Long countedToday) {
    String prisonerSlot = me.isPrisoner() ? me.personId() : null;
    Future<String> owner = prisonerSlot != null ? Future.succeededFuture(prisonerSlot)
        : snapshots.ownerOf(me.contactId()).map(o -> o.orElse(null));
    return owner.compose(prisonerId -> prisonerId == null ? Future.succeededFuture((Integer) null)
        : snapshots.get(prisonerId).compose(snap -> {
          Optional<ContactPolicy> policy = snap.policy(me.contactId());
          Instant now = clock.instant();
          Integer limit = policy.map(pol -> EffectivePolicy.on(pol, LocalDate.ofInstant(now, UsageCounters.LONDON))
              .limits().messagesPerDay()).orElse(null);
          if (limit == null) {
            return Future.succeededFuture((Integer) null);
          }
          if (countedToday != null) {
            return Future.succeededFuture((int) Math.max(0, limit - countedToday));
          }
          return usage.forMessages(prisonerId, me.contactId(), usageSender(me), now)
              .map(u -> Math.max(0, limit - u.messagesToday()));
        }));
  }

  /** Whose messages today count, by gateway id: the prisoner, the person, or the child an adult writes for (as decisions count them). */
  private static String usageSender(Conversation.Side me) {
    return me.onBehalfOf() != null ? me.onBehalfOf().id() : me.personId();
  }

  static String messageKey(String senderId, String clientId) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((senderId + "|" + clientId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String messageId(String conversationId, String key) {
    return "msg." + conversationId + "." + key;
  }

  /** {conversation id, message key} of a message id, or 404. */
  static String[] parse(String messageId) {
    String[] parts = messageId == null ? new String[0] : messageId.split("\\.");
    if (parts.length != 3 || !parts[0].equals("msg") || !CONVERSATION_ID.matcher(parts[1]).matches()
        || !parts[2].matches("[0-9a-f]{32}")) {
      throw DomainException.notFound("There is no such message.");
    }
    return new String[] {parts[1], parts[2]};
  }

  static boolean isPersonRole(Principal p) {
    return p.role() == Role.PRISONER || p.role() == Role.OUTSIDE;
  }
}
