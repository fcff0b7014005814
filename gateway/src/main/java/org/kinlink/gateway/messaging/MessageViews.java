package org.kinlink.gateway.messaging;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How a stored message looks to each side. The sender sees every state of her message; the
 * recipient sees a message only once it may be delivered, never that it was held. A held message
 * looks the same whatever held it, and a rejected one says only that it was not delivered.
 */
final class MessageViews {
  private MessageViews() {}

  /** Shown for every held message, whatever held it: no rule, no word, no hint. */
  static final String BEING_CHECKED = "Your message is being checked before it is delivered.";
  /** Shown for a message security did not release: the outcome only, never their reason. */
  static final String NOT_DELIVERED = "This message was not delivered.";

  /** The neutral decision a sender gets for a held message. */
  static JsonObject heldDecision() {
    return new JsonObject().put("effect", "REVIEW").put("reasons", new JsonArray()
        .add(new JsonObject().put("rule", "CHECK").put("text", BEING_CHECKED))).put("obligations", new JsonArray());
  }

  static boolean visibleTo(JsonObject record, String viewerId) {
    if (viewerId.equals(record.getString("from"))) {
      return true;
    }
    String status = record.getString("status");
    return "SENT".equals(status) || "DELIVERED".equals(status) || "READ".equals(status);
  }

  /** The message as {@code viewerId} sees it, with its body already opened. */
  static JsonObject view(JsonObject record, String viewerId, String body) {
    boolean mine = viewerId.equals(record.getString("from"));
    JsonObject sender = side(record, record.getString("from"));
    JsonObject me = side(record, viewerId);
    JsonObject from = sender.getJsonObject("on_behalf_of") != null ? sender.getJsonObject("on_behalf_of")
        : new JsonObject().put("id", sender.getString("id")).put("name", sender.getString("name")).put("kind", sender.getString("kind"));
    String status = record.getString("status");
    JsonObject v = new JsonObject().put("id", record.getString("id")).put("contact_id", me.getString("contact_id"))
        .put("seq", record.getLong("seq")).put("cursor", Cursors.encode(record.getLong("feed", 0L)))
        .put("from", new JsonObject().put("name", from.getString("name")).put("kind", from.getString("kind")))
        .put("mine", mine).put("body", body == null ? "" : body).put("status", status)
        .put("sent_at", record.getString("created_at"));
    if (sender.getJsonObject("on_behalf_of") != null) {
      v.put("written_by", new JsonObject().put("name", sender.getString("name")).put("kind", sender.getString("kind")));
    }
    if (body == null) {
      v.put("deleted", true); // kept for its retention time, then deleted: the record of it stays
    }
    JsonObject photo = record.getJsonObject("photo");
    if (photo != null) {
      String base = "/api/v1/conversations/" + me.getString("contact_id") + "/photos/" + record.getString("id");
      v.put("photo", photo.copy().put("url", base).put("thumb_url", base + "?size=thumb"));
    }
    putIf(v, "delivered_at", record.getString("delivered_at"));
    putIf(v, "read_at", record.getString("read_at"));
    if ("HELD".equals(status)) {
      v.put("status_text", BEING_CHECKED);
    } else if ("REJECTED".equals(status)) {
      v.put("status_text", NOT_DELIVERED);
    }
    return v;
  }

  static JsonObject side(JsonObject record, String personId) {
    for (JsonObject s : MessageStore.objects(record, "sides")) {
      if (personId.equals(s.getString("id"))) {
        return s;
      }
    }
    return new JsonObject();
  }

  /** The stored description of both sides (names, contact ids) so later views need no lookups. */
  static JsonArray sides(Conversation c) {
    JsonArray out = new JsonArray();
    for (Conversation.Side s : c.sides()) {
      JsonObject j = new JsonObject().put("id", s.personId()).put("name", s.name()).put("kind", s.kind())
          .put("contact_id", s.contactId()).put("establishment", s.establishment()).put("prison_number", s.prisonNumber());
      if (s.onBehalfOf() != null) {
        j.put("on_behalf_of", new JsonObject().put("id", s.onBehalfOf().id()).put("name", s.onBehalfOf().name())
            .put("kind", s.onBehalfOf().kind()));
      }
      out.add(j);
    }
    return out;
  }

  static List<String> recipients(JsonObject record) {
    return MessageStore.objects(record, "sides").stream().map(s -> s.getString("id"))
        .filter(id -> !id.equals(record.getString("from"))).toList();
  }

  private static void putIf(JsonObject j, String k, String v) {
    if (v != null) {
      j.put(k, v);
    }
  }
}
