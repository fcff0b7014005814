package org.kinlink.gateway.contacts;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.redis.ZremIfScoreScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends timed suspensions when their time comes: a new policy version (state APPROVED) written by
 * the system with the reason, audited and announced like any other change. Until then the engine
 * denies every action of a SUSPENDED contact, so a late sweep errs on the safe side. Any node may
 * sweep; the compare-and-set write makes a double sweep harmless.
 */
public final class SuspensionEnds {
  private static final Logger log = LoggerFactory.getLogger(SuspensionEnds.class);

  private final Redis redis;
  private final ZremIfScoreScript zremIfScore;
  private final ContactsService service;
  private final Clock clock;
  private long timer = -1;

  public SuspensionEnds(Redis redis, ContactsService service, Clock clock) {
    this.redis = redis;
    this.zremIfScore = new ZremIfScoreScript(redis);
    this.service = service;
    this.clock = clock;
  }

  /** Sweeps every {@code every}. */
  public void start(Vertx vertx, Duration every) {
    timer = vertx.setPeriodic(every.toMillis(), id -> sweep().onFailure(e -> log.warn("ending suspensions failed", e)));
  }

  /** Stops sweeping. */
  public void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One pass; answers how many suspensions it ended. */
  public Future<Integer> sweep() {
    double now = clock.millis();
    return redis.<List<ScoredValue<String>>>call(c -> c.zrangebyscoreWithScores(Keys.CONTACTS_SUSPENSIONS,
            Range.create(Double.NEGATIVE_INFINITY, now), Limit.create(0, 100)))
        .compose(due -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (ScoredValue<String> entry : due) {
            String ref = entry.getValue();
            int slash = ref.indexOf('/');
            // drop the entry only if nobody moved the end meanwhile (a new suspension re-scores it)
            chain = chain.compose(n -> service.endSuspension(ref.substring(0, slash), ref.substring(slash + 1))
                .compose(ended -> zremIfScore.remove(Keys.CONTACTS_SUSPENSIONS, ref, entry.getScore())
                    .map(ended ? n + 1 : n)));
          }
          return chain;
        });
  }
}
