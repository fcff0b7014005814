package org.kinlink.gateway.audit;

import io.vertx.core.Future;

/** The append-only, hash-chained record of everything that matters to safeguarding and security. */
public interface AuditLog {

  /**
   * Appends an event. The future completes only once the entry is durable, so callers acknowledge
   * the action they record after it completes, never before; it fails if the entry could not be written.
   * (A write that parks its entry in an {@link AuditOutbox} in the same step as the change has it
   * durable already: message sends acknowledge then and append straight after.)
   */
  Future<AuditEntry> append(AuditEvent event);
}
