package org.kinlink.gateway.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.redis.Redis;

/**
 * An {@link AuditOutbox} lane whose outboxes are found through an {@link OutboxIndex}: a prisoner's
 * contact changes, a call's, a settings hash's, a conversation's. The capability's write scripts
 * park entries; its writer {@link #mark}s the member before each write and completes entries
 * through {@link #outbox()}; any node's sweeper, every {@link #SWEEP_EVERY} unless the lane says
 * otherwise, completes what is still parked after {@link #GRACE} (likewise).
 */
public abstract class IndexedOutboxLane implements AuditOutbox.Lane {
  /** How long a writer has to append its change's entries before a sweeper does it, unless the lane says otherwise. */
  public static final Duration GRACE = Duration.ofSeconds(10);
  public static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

  private final AuditOutbox outbox;
  private final OutboxIndex index;
  private final Clock clock;
  private final Duration sweepEvery;

  /**
   * @param indexKey the sorted set of members whose outboxes may hold entries
   * @param outboxKeyOf a member's outbox hash
   */
  protected IndexedOutboxLane(Redis redis, AuditLog audit, Clock clock, String indexKey, UnaryOperator<String> outboxKeyOf) {
    this(redis, audit, clock, GRACE, SWEEP_EVERY, indexKey, outboxKeyOf);
  }

  /** As the other constructor, with a grace and a sweep interval of the lane's own. */
  protected IndexedOutboxLane(Redis redis, AuditLog audit, Clock clock, Duration grace, Duration sweepEvery, String indexKey,
      UnaryOperator<String> outboxKeyOf) {
    this.clock = clock;
    this.sweepEvery = sweepEvery;
    this.index = new OutboxIndex(redis, indexKey, outboxKeyOf);
    this.outbox = new AuditOutbox(redis, audit, clock, grace).lane(this);
  }

  /** The outbox this lane completes its entries through. */
  protected final AuditOutbox outbox() {
    return outbox;
  }

  /** Notes that {@code member}'s outbox may hold an entry; done before the write, so a sweeper finds it if this node dies. */
  public final Future<Void> mark(String member) {
    return index.mark(member, clock.millis());
  }

  @Override
  public final Future<List<AuditOutbox.Candidate>> candidates(long cutoffMillis) {
    return index.candidates(cutoffMillis);
  }

  /** Starts this node's sweeper. */
  public final void start(Vertx vertx) {
    outbox.start(vertx, sweepEvery);
  }

  public final void stop(Vertx vertx) {
    outbox.stop(vertx);
  }

  /** One pass (tests, after moving the clock past the grace): answers how many entries it completed. */
  public final Future<Integer> sweep() {
    return outbox.sweep();
  }
}
