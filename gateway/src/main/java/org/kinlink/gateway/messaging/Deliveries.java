package org.kinlink.gateway.messaging;

import io.vertx.core.Future;
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

  /** A record as written, and its body in clear (null when unknown). */
  private record Written(JsonObject record, String body) {}

  Deliveries(Realtime realtime, MessageStore store, ConversationKeys keys, Clock clock) {
    this.realtime = realtime;
    this.store = store;
    this.keys = keys;
    this.clock = clock;
    realtime.onEvent(TOPIC, event -> deliver(event, null, null));
  }

  /**
   * Tells every node that {@code record} changed, for the sockets of {@code to}. This node's own
   * sockets get it at once, on the caller's event loop, from the record as written and its body in
   * clear when the caller has it ({@code body} null: read and opened), rather than after the round
   * trip through Redis pub/sub and the hub's single context; the other nodes get ids through Redis
   * and read the record themselves.
   */
  void announce(JsonObject record, String body, List<String> to, String type) {
    JsonObject event = new JsonObject().put("conv", record.getString("conv")).put("key", record.getString("key"))
        .put("v", record.getInteger("v")).put("to", new JsonArray(to)).put("type", type);
    io.vertx.core.Context here = io.vertx.core.Vertx.currentContext();
    if (here != null) {
      // after the current task: a sender's answer still comes before the push of the same message
      here.runOnContext(v -> deliver(event, record, body));
    } else {
      deliver(event, record, body);
    }
    realtime.publishToOthers(TOPIC, event)
        .onFailure(e -> log.warn("could not announce a message change (clients catch up on reconnect): {}", e.toString()));
  }

  /** The record as the event announced it with its body in clear: the writer's own, else read and opened. */
  private Future<Written> announced(String conv, String key, JsonObject written, String clear) {
    if (written != null && clear != null) {
      return Future.succeededFuture(new Written(written, clear));
    }
    return store.get(conv, key).compose(found -> found.isEmpty() ? Future.succeededFuture()
        : keys.open(conv, key, found.get().getString("body")).map(body -> new Written(found.get(), body)));
  }

  private void deliver(JsonObject event, JsonObject written, String writtenBody) {
    List<String> local = event.getJsonArray("to", new JsonArray()).stream().map(String::valueOf)
        .filter(id -> !realtime.clientsOf(id).isEmpty()).toList();
    if (local.isEmpty()) {
      return;
    }
    String conv = event.getString("conv");
    String key = event.getString("key");
    announced(conv, key, written, writtenBody).map(found -> {
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
              markDelivered(personId, List.of(record), body);
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
    return markDelivered(viewerId, records, null);
  }

  /** As {@link #markDelivered(String, List)} for one record's body in clear, if known ({@code body}; null: not known). */
  private Future<List<JsonObject>> markDelivered(String viewerId, List<JsonObject> records, String body) {
    List<Future<JsonObject>> out = records.stream().map(r -> {
      if (viewerId.equals(r.getString("from")) || !"SENT".equals(r.getString("status"))) {
        return Future.succeededFuture(r);
      }
      return change(r, body, rec -> "SENT".equals(rec.getString("status"))
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
    return change(record, null, rec -> {
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
    return change(record, null, edit, 5);
  }

  /** As {@link #change(JsonObject, UnaryOperator)}, the record's body in clear known ({@code body}) or not (null). */
  private Future<JsonObject> change(JsonObject record, String body, UnaryOperator<JsonObject> edit) {
    return change(record, body, edit, 5);
  }

  private Future<JsonObject> change(JsonObject record, String body, UnaryOperator<JsonObject> edit, int tries) {
    String conv = record.getString("conv");
    String key = record.getString("key");
    JsonObject edited = edit.apply(record.copy());
    if (edited == null) {
      return Future.succeededFuture(record);
    }
    return store.change(conv, key, record, edited).compose(result -> {
      if (result.written()) {
        // the edit may have deleted the body (retention): then the clear text is no longer the record's
        announce(result.record(), result.record().containsKey("body") ? body : null,
            List.of(result.record().getString("from")), "message.status");
        return Future.succeededFuture(result.record());
      }
      if (result.record() == null || tries <= 1) {
        return Future.failedFuture(new IllegalStateException("message changed too often to update"));
      }
      return change(result.record(), body, edit, tries - 1);
    });
  }
}
