package org.kinlink.gateway.contacts;

import io.vertx.core.json.JsonObject;
import org.kinlink.gateway.audit.AuditEvent;

/** Audit events as JSON, so a committed change can park its audit entry in the outbox until it is durable. */
final class AuditJson {
  private AuditJson() {}

  static JsonObject toJson(AuditEvent e) {
    return e.toJson();
  }

  static AuditEvent fromJson(JsonObject j) {
    return AuditEvent.fromJson(j);
  }
}
