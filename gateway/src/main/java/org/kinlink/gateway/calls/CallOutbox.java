package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.audit.OutboxIndex;
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
final class CallOutbox implements AuditOutbox.Lane {
  private static final Logger log = LoggerFactory.getLogger(CallOutbox.class);
  /** How long a writer has to append a change's entries before a sweeper does it. */
  static final Duration GRACE = Duration.ofSeconds(10);
  static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

  private final AuditOutbox outbox;
  private final OutboxIndex index;
  private final Clock clock;

  CallOutbox(Redis redis, AuditLog audit, Clock clock) {
    this.clock = clock;
    this.outbox = new AuditOutbox(redis, audit, clock, GRACE).lane(this);
    this.index = new OutboxIndex(redis, Keys.CALLS_OUTBOX_INDEX, Keys::callOutbox);
  }

  /** The parked form of each event, each under a change id of its own. */
  List<JsonObject> entries(List<AuditEvent> events) {
    long now = clock.millis();
    return events.stream().map(e -> AuditOutbox.entry(AuditOutbox.newChangeId(), now, e)).toList();
  }

  /** Notes that the call's outbox may hold entries; done before the write so a sweeper finds them if this node dies. */
  Future<Void> mark(String callId) {
    return index.mark(callId, clock.millis());
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
      chain = chain.compose(v -> outbox.complete(Keys.callOutbox(callId), entry));
    }
    return chain.recover(e -> {
      log.warn("a change of call {} is saved but its audit entry is pending", callId, e);
      return Future.failedFuture(new ApiException(503, "AUDIT_PENDING", "The change to the call was saved, but its audit "
          + "entry could not be written yet; it will be written shortly. Look at the call before you try again.", null, null, null));
    });
  }

  @Override
  public Future<List<AuditOutbox.Candidate>> candidates(long cutoffMillis) {
    return index.candidates(cutoffMillis);
  }

  void start(Vertx vertx) {
    outbox.start(vertx, SWEEP_EVERY);
  }

  void stop(Vertx vertx) {
    outbox.stop(vertx);
  }

  /** One pass (tests, after moving the clock): answers how many entries it completed. */
  Future<Integer> sweep() {
    return outbox.sweep();
  }
}
