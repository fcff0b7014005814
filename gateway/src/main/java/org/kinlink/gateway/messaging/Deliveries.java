package org.kinlink.gateway.messaging;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Duration;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.realtime.Client;
import org.kinlink.gateway.realtime.Realtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries message changes to the sockets of the people concerned, on whichever node holds them:
 * an event with ids only goes over Redis ({@link Realtime#publish}); the node holding a socket reads
 * the record and opens the body itself, so no plaintext passes through Redis. Whoever is not
 * connected gets the change from {@code GET ...messages?after=} when they come back. Delivered and
 * read receipts are changes like any other.
 */
final class Deliveries {
  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
  static final String TOPIC = "messages";

  private final Realtime realtime;
  private final MessageStore store;
  private final ConversationKeys keys;
  private final Clock clock;
  /** Records this node wrote in the last seconds, by conversation/key (bounded; a miss only costs a read). */
  private final Cache<String, Written> recent = Caffeine.newBuilder().maximumSize(20_000)
      .expireAfterWrite(Duration.ofSeconds(10)).executor(Runnable::run).build();

  /** A record as written, and its body in clear (null when unknown). */
  private record Written(JsonObject record, String body) {}

  Deliveries(Realtime realtime, MessageStore store, ConversationKeys keys, Clock clock) {
    this.realtime = realtime;
    this.store = store;
    this.keys = keys;
    this.clock = clock;
    realtime.onEvent(TOPIC, this::deliver);
  }

  /**
   * Remembers a record this node just wrote, with its body in clear when known: the event that
   * announces it comes back to this node, whose sockets then need neither a read nor a decryption.
   */
  void written(JsonObject record, String body) {
    String id = record.getString("conv") + "/" + record.getString("key");
    String clear = body;
    if (clear == null) {
      Written before = recent.getIfPresent(id);
      clear = before == null ? null : before.body();
    }
    recent.put(id, new Written(record, clear));
  }

  /**
   * Tells every node that {@code record} changed, for the sockets of {@code to}. This node's own
   * sockets get it at once, on the caller's event loop, rather than after the round trip through
   * Redis pub/sub and the hub's single context; the other nodes get it through Redis.
   */
  void announce(JsonObject record, List<String> to, String type) {
    JsonObject event = new JsonObject().put("conv", record.getString("conv")).put("key", record.getString("key"))
        .put("v", record.getInteger("v")).put("to", new JsonArray(to)).put("type", type);
    io.vertx.core.Context here = io.vertx.core.Vertx.currentContext();
    if (here != null) {
      // after the current task: a sender's answer still comes before the push of the same message
      here.runOnContext(v -> deliver(event));
    } else {
      deliver(event);
    }
    realtime.publishToOthers(TOPIC, event)
        .onFailure(e -> log.warn("could not announce a message change (clients catch up on reconnect): {}", e.toString()));
  }

  /** The record as the event announced it with its body in clear: from this node's recent writes, else read and opened. */
  private Future<Written> announced(String conv, String key, Integer version) {
    Written mine = recent.getIfPresent(conv + "/" + key);
    if (mine != null && mine.body() != null && version != null && version.equals(mine.record().getInteger("v"))) {
      return Future.succeededFuture(mine);
    }
    return store.get(conv, key).compose(found -> found.isEmpty() ? Future.succeededFuture()
        : keys.open(conv, key, found.get().getString("body")).map(body -> new Written(found.get(), body)));
  }

  private void deliver(JsonObject event) {
    List<String> local = event.getJsonArray("to", new JsonArray()).stream().map(String::valueOf)
        .filter(id -> !realtime.clientsOf(id).isEmpty()).toList();
    if (local.isEmpty()) {
      return;
    }
    String conv = event.getString("conv");
    String key = event.getString("key");
    announced(conv, key, event.getInteger("v")).map(found -> {
          if (found == null) {
            return null;
          }
          JsonObject record = found.record();
          String body = found.body();
          for (String personId : local) {
            if (!MessageViews.visibleTo(record, personId)) {
              continue;
            }
            JsonObject frame = new JsonObject().put("type", event.getString("type", "message.new"))
                .put("message", MessageViews.view(record, personId, body));
            List<Client> clients = realtime.clientsOf(personId);
            clients.forEach(c -> c.send(frame));
            if (!clients.isEmpty()) {
              markDelivered(personId, List.of(record));
            }
          }
          return null;
        }).onFailure(e -> log.warn("could not push a message change: {}", e.toString()));
  }

  /**
   * The recipient's client has these messages now: SENT becomes DELIVERED and the sender is told.
   * Answers the records as they are afterwards (a receipt that could not be written leaves the record as it was).
   */
  Future<List<JsonObject>> markDelivered(String viewerId, List<JsonObject> records) {
    List<Future<JsonObject>> out = records.stream().map(r -> {
      if (viewerId.equals(r.getString("from")) || !"SENT".equals(r.getString("status"))) {
        return Future.succeededFuture(r);
      }
      return change(r, rec -> "SENT".equals(rec.getString("status"))
          ? rec.put("status", "DELIVERED").put("delivered_at", clock.instant().toString()) : null)
          .recover(e -> {
            log.debug("delivered receipt not written: {}", e.toString());
            return Future.succeededFuture(r);
          });
    }).toList();
    return Future.all(out).map(v -> out.stream().map(Future::result).toList());
  }

  /** The recipient read the message: answers its status afterwards. */
  Future<String> markRead(JsonObject record) {
    return change(record, rec -> {
      String st = rec.getString("status");
      if (!"SENT".equals(st) && !"DELIVERED".equals(st)) {
        return null;
      }
      String now = clock.instant().toString();
      if (rec.getString("delivered_at") == null) {
        rec.put("delivered_at", now);
      }
      return rec.put("status", "READ").put("read_at", now);
    }).map(r -> r.getString("status"));
  }

  /**
   * Applies {@code edit} to the current record (null from the edit: nothing to do) and writes it if
   * nobody changed it meanwhile, retrying on a lost race; the sender hears of a written change.
   */
  Future<JsonObject> change(JsonObject record, UnaryOperator<JsonObject> edit) {
    return change(record, edit, 5);
  }

  private Future<JsonObject> change(JsonObject record, UnaryOperator<JsonObject> edit, int tries) {
    String conv = record.getString("conv");
    String key = record.getString("key");
    JsonObject edited = edit.apply(record.copy());
    if (edited == null) {
      return Future.succeededFuture(record);
    }
    return store.change(conv, key, record, edited).compose(result -> {
      if (result.written()) {
        written(result.record(), null);
        announce(result.record(), List.of(result.record().getString("from")), "message.status");
        return Future.succeededFuture(result.record());
      }
      if (result.record() == null || tries <= 1) {
        return Future.failedFuture(new IllegalStateException("message changed too often to update"));
      }
      return change(result.record(), edit, tries - 1);
    });
  }
}
