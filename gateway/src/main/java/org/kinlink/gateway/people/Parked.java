package org.kinlink.gateway.people;

import io.vertx.core.json.JsonObject;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditOutbox;

/**
 * A directory change's audit entry, parked in the outbox ({@code Keys.dirAuditOutbox()}) by the write
 * script itself; the writer then completes it with {@link AuditOutbox#complete}.
 */
public record Parked(String changeId, JsonObject entry) {
  public static Parked of(AuditEvent event, long atMillis) {
    String changeId = AuditOutbox.newChangeId();
    return new Parked(changeId, AuditOutbox.entry(changeId, atMillis, event));
  }
}
