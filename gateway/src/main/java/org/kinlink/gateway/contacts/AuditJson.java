package org.kinlink.gateway.contacts;

import io.vertx.core.json.JsonObject;
import org.kinlink.gateway.audit.AuditEvent;

/** Audit events as JSON, so a committed change can park its audit entry in the outbox until it is durable. */
final class AuditJson {
  private AuditJson() {}

  static JsonObject toJson(AuditEvent e) {
    return new JsonObject().put("action", e.action()).put("actor_id", e.actorId()).put("actor_role", e.actorRole())
        .put("establishment", e.establishment()).put("prisoner_id", e.prisonerId()).put("contact_id", e.contactId())
        .put("outcome", e.outcome()).put("details", e.details());
  }

  static AuditEvent fromJson(JsonObject j) {
    return new AuditEvent(j.getString("action"), j.getString("actor_id"), j.getString("actor_role"),
        j.getString("establishment"), j.getString("prisoner_id"), j.getString("contact_id"), j.getString("outcome"),
        j.getJsonObject("details"));
  }
}
