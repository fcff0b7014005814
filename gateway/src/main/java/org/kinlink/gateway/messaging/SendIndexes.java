package org.kinlink.gateway.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The index a sent message must be on besides its conversation: the review queues of the
 * establishments a held message waits for, or else the retention clock that deletes its body in
 * time. The sender writes it beside the record; the outbox sweeper writes it again from the parked
 * entry when the sender's node may have died first, so it is safe to run twice.
 */
final class SendIndexes {
  private final MessageStore store;
  private final Retention retention;

  SendIndexes(MessageStore store, Retention retention) {
    this.store = store;
    this.retention = retention;
  }

  /** Puts the message of a parked send ({@link MessageOutbox#entry}) on its index, as of the send. */
  Future<Void> index(JsonObject parked) {
    String id = MessageOutbox.messageId(parked);
    List<String> reviewBy = MessageOutbox.reviewBy(parked);
    long sentAt = parked.getLong("at");
    if (reviewBy.isEmpty()) {
      return retention.startIfAbsent(id, sentAt);
    }
    return Future.all(reviewBy.stream().map(est -> store.enqueue(est, id, sentAt)).toList()).mapEmpty();
  }
}
