package org.kinlink.gateway.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.contacts.ContactDecisions;
import org.kinlink.gateway.contacts.Parties;
import org.kinlink.gateway.contacts.PolicySnapshots;
import org.kinlink.gateway.contacts.UsageCounters;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.realtime.Realtime;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.settings.AuditedSettings;

/**
 * The messaging capability of one node, wired once: conversations, the store and its keys, the
 * send/read service, the review queue, and the {@code message.*} frames on the realtime hub.
 */
public final class Messaging {
  private final MessagingService service;
  private final ReviewService reviews;
  private final RandomHolds randomHolds;
  private final MessageStore store;
  private final Retention retention;
  private final AuditedSettings settingsAudit;
  private final SendStages stages;
  private final MessageOutbox outbox;
  /** How often each node sweeps for bodies past their retention time. */
  static final java.time.Duration RETENTION_SWEEP_EVERY = java.time.Duration.ofMinutes(10);

  public Messaging(io.vertx.core.Vertx vertx, Redis redis, AuditLog audit, ContactDecisions decisions, PolicySnapshots snapshots, UsageCounters usage,
      Parties parties, Realtime realtime, MasterKey masterKey, double randomShare, Clock clock, SendStages stages) {
    this.store = new MessageStore(redis);
    ConversationKeys keys = new ConversationKeys(redis, masterKey);
    this.randomHolds = new RandomHolds(randomShare);
    Deliveries deliveries = new Deliveries(realtime, store, keys, clock);
    Conversations conversations = new Conversations(redis, snapshots, parties);
    this.settingsAudit = new AuditedSettings(redis, audit, clock, Keys.MESSAGE_SETTINGS_OUTBOX_INDEX);
    this.retention = new Retention(redis, store, deliveries, conversations, snapshots, audit, settingsAudit, clock);
    SendIndexes indexes = new SendIndexes(store, retention);
    this.outbox = new MessageOutbox(redis, audit, clock, stages, Keys.MESSAGES_OUTBOX_INDEX, indexes::index);
    this.service = new MessagingService(vertx, conversations, store, keys, decisions, snapshots, usage, audit, outbox, indexes,
        randomHolds, deliveries, clock, stages);
    this.stages = stages;
    new ContactPushes(vertx, realtime, snapshots, conversations);
    this.reviews = new ReviewService(store, keys, deliveries, retention, audit, clock);
    registerFrames(realtime);
  }

  private void registerFrames(Realtime realtime) {
    JsonObject send = new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("type").add("contact_id").add("client_id").add("body"))
        .put("properties", new JsonObject()
            .put("type", new JsonObject().put("const", "message.send"))
            .put("ref", new JsonObject().put("type", new JsonArray().add("string").add("integer")))
            .put("contact_id", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 100))
            .put("client_id", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 100))
            .put("body", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", MessagingService.MAX_BODY_CHARS)))
        .put("additionalProperties", false);
    realtime.register("message.send", send, (client, frame) -> service.send(client.principal(), frame.getString("contact_id"),
        frame.getString("client_id"), frame.getString("body"))
        .map(sent -> sent.body().put("type", "message.sent"))); // each answer is made for this one send
    JsonObject read = new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("type").add("id"))
        .put("properties", new JsonObject()
            .put("type", new JsonObject().put("const", "message.read"))
            .put("ref", new JsonObject().put("type", new JsonArray().add("string").add("integer")))
            .put("id", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 200)))
        .put("additionalProperties", false);
    realtime.register("message.read", read, (client, frame) -> service.markRead(client.principal(), frame.getString("id"))
        .map(r -> r.put("type", "message.read")));
  }

  /** Starts the retention sweeper and the audit outbox sweepers (sends, settings). */
  public void start(io.vertx.core.Vertx vertx) {
    retention.startSweeping(vertx, RETENTION_SWEEP_EVERY);
    settingsAudit.start(vertx);
    outbox.start(vertx);
  }

  public void stop(io.vertx.core.Vertx vertx) {
    retention.stop(vertx);
    settingsAudit.stop(vertx);
    outbox.stop(vertx);
  }

  /** Completes once every send this node answered has its audit entry on the chain, or failed to (tests, before reading the log). */
  public Future<Void> auditSettled() {
    return outbox.settled();
  }

  /** One pass of the send outbox's sweeper (tests, after moving the clock past the grace): how many entries it completed. */
  public Future<Integer> sweepAuditOutbox() {
    return outbox.sweep();
  }

  /** Retention of bodies and security holds. */
  public Retention retention() {
    return retention;
  }

  /** Where changes of the retention setting wait for their audit entry (tests sweep it after moving the clock). */
  public AuditedSettings settingsAudit() {
    return settingsAudit;
  }

  /** The timers of a send's sequential steps. */
  public SendStages sendStages() {
    return stages;
  }

  /** Sending, reading, receipts. */
  public MessagingService service() {
    return service;
  }

  /** The review queue. */
  public ReviewService reviews() {
    return reviews;
  }

  /** The random share of ordinary messages held. */
  public RandomHolds randomHolds() {
    return randomHolds;
  }

  /** Says which adult holds a child's conversations (the people directory has no such link yet). */
  public Future<Void> setHolder(String childPersonId, String adultPersonId) {
    return store.setHolder(childPersonId, adultPersonId);
  }

  /** What conversation {@code conversationId}'s stored data key ({@code Keys.conversationKey}) is bound to when wrapped. */
  public static byte[] conversationKeyWrapAad(String conversationId) {
    return ConversationKeys.wrapAad(conversationId);
  }

  public MessagingModule module() {
    return new MessagingModule(service, reviews, retention);
  }
}
