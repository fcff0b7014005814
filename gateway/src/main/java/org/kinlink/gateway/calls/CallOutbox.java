package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.audit.IndexedOutboxLane;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls lane of the shared {@link AuditOutbox}: a call's booking and each of its changes park
 * their audit entries in the call's outbox in the same script as the write ({@code calls-book.lua},
 * {@code calls-transition.lua}); the writer appends them, and whatever a dead node left there is
 * appended by any node's sweeper after {@link #GRACE}.
 */
final class CallOutbox extends IndexedOutboxLane {
  private static final Logger log = LoggerFactory.getLogger(CallOutbox.class);

  private final Clock clock;

  CallOutbox(Redis redis, AuditLog audit, Clock clock) {
    super(redis, audit, clock, Keys.CALLS_OUTBOX_INDEX, Keys::callOutbox);
    this.clock = clock;
  }

  /** The parked form of each event, each under a change id of its own. */
  List<JsonObject> entries(List<AuditEvent> events) {
    long now = clock.millis();
    return events.stream().map(e -> AuditOutbox.entry(AuditOutbox.newChangeId(), now, e)).toList();
  }

  /**
   * Runs {@code before} once, then appends each parked entry and removes it from the outbox. A failed
   * append is a 503: the change stands and its entry is appended by the sweeper.
   */
  Future<Void> complete(String callId, List<JsonObject> entries, Supplier<Future<Void>> before) {
    Future<Void> chain = before.get().recover(e -> {
      log.warn("work before auditing a change of call {} failed; its audit entries are still written", callId, e);
      return Future.succeededFuture();
    });
    for (JsonObject entry : entries) {
      chain = chain.compose(v -> outbox().complete(Keys.callOutbox(callId), entry));
    }
    return chain.recover(e -> {
      log.warn("a change of call {} is saved but its audit entry is pending", callId, e);
      return Future.failedFuture(new ApiException(503, "AUDIT_PENDING", "The change to the call was saved, but its audit "
          + "entry could not be written yet; it will be written shortly. Look at the call before you try again.", null, null, null));
    });
  }
}
