package org.kinlink.gateway.audit;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.redis.ZremIfScoreScript;

/**
 * Where an {@link AuditOutbox.Lane} finds its outboxes: a sorted set of members (a prisoner, a call,
 * a settings hash), each scored with when a change was last parked under it. A writer {@link #mark}s
 * before its write, so a sweeper finds the entry if the writer dies after it; a member found empty is
 * released only if nobody marked it again meanwhile.
 */
public final class OutboxIndex {
  private static final int BATCH = 100;

  private final Redis redis;
  private final String indexKey;
  private final UnaryOperator<String> outboxKeyOf;
  private final ZremIfScoreScript zremIfScore;

  /** @param outboxKeyOf the outbox hash of a member */
  public OutboxIndex(Redis redis, String indexKey, UnaryOperator<String> outboxKeyOf) {
    this.redis = redis;
    this.indexKey = indexKey;
    this.outboxKeyOf = outboxKeyOf;
    this.zremIfScore = new ZremIfScoreScript(redis);
  }

  /** Notes that {@code member}'s outbox may hold an entry parked at {@code atMillis}. */
  public Future<Void> mark(String member, long atMillis) {
    return redis.<Long>call(c -> c.zadd(indexKey, (double) atMillis, member)).mapEmpty();
  }

  /** Up to a batch of outboxes marked at or before {@code cutoffMillis}, each released by the score it was found with. */
  public Future<List<AuditOutbox.Candidate>> candidates(long cutoffMillis) {
    return redis.<List<ScoredValue<String>>>call(c -> c.zrangebyscoreWithScores(indexKey,
            Range.create(Double.NEGATIVE_INFINITY, (double) cutoffMillis), Limit.create(0, BATCH)))
        .map(found -> found.stream().map(v -> new AuditOutbox.Candidate(outboxKeyOf.apply(v.getValue()),
            () -> zremIfScore.remove(indexKey, v.getValue(), v.getScore()).<Void>mapEmpty())).toList());
  }
}
