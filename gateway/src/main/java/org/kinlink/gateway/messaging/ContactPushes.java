package org.kinlink.gateway.messaging;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.kinlink.gateway.contacts.ContactEvents;
import org.kinlink.gateway.contacts.PolicySnapshots;
import org.kinlink.gateway.realtime.Realtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the sides of a contact, on this node's sockets, that it changed ({@code contact.changed}:
 * its state only, never a reason), so their screens reload what they may do. Every node raises the
 * contacts event itself, so each pushes only to the sockets it holds.
 */
final class ContactPushes {
  private static final Logger log = LoggerFactory.getLogger(ContactPushes.class);

  ContactPushes(Vertx vertx, Realtime realtime, PolicySnapshots snapshots, Conversations conversations) {
    vertx.eventBus().<JsonObject>localConsumer(ContactEvents.CONTACT_CHANGED, msg -> {
      JsonObject e = msg.body();
      String prisonerId = e.getString("prisoner_id");
      String contactId = e.getString("contact_id");
      if (prisonerId == null || contactId == null) {
        return;
      }
      snapshots.get(prisonerId).compose(snap -> snap.contact(contactId)
          .map(c -> conversations.build(snap, c).map(conv -> {
            for (Conversation.Side side : conv.sides()) {
              JsonObject frame = new JsonObject().put("type", "contact.changed").put("contact_id", side.contactId())
                  .put("state", e.getString("state"));
              realtime.clientsOf(side.personId()).forEach(client -> client.send(frame));
            }
            return (Void) null;
          }))
          .orElseGet(() -> io.vertx.core.Future.succeededFuture()))
          .onFailure(err -> log.debug("contact change not pushed: {}", err.toString()));
    });
  }
}
