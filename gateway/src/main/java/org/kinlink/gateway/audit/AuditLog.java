package org.kinlink.gateway.audit;

import io.vertx.core.Future;

/** The append-only, hash-chained record of everything that matters to safeguarding and security. */
public interface AuditLog {

  /**
   * Appends an event. The future completes only once the entry is durable, so callers acknowledge
   * the action they record after it completes, never before; it fails if the entry could not be written.
   */
  Future<AuditEntry> append(AuditEvent event);
}
