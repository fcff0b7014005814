package org.kinlink.gateway.audit;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads entries in seq order, a page at a time. A time range becomes a seq range through the time
 * index (times never go backwards along the chain); the candidates come from the most selective
 * index (prisoner, else contact, else establishment, else every seq) and the rest of the filter is
 * applied to each entry. The cursor is the last seq a page covered.
 */
public final class AuditReader {
  private static final Logger log = LoggerFactory.getLogger(AuditReader.class);
  /** How many index members one Redis round trip looks at. */
  private static final int BATCH = 500;
  /** At most this many candidates per page, so a rare filter cannot pin a request for long. */
  private static final int SCAN_CAP = 20_000;

  private final Redis redis;
  private final String ns;

  public AuditReader(Redis redis, String namespace) {
    this.redis = redis;
    this.ns = namespace;
  }

  /** Seqs {@code low..high} inclusive; empty when {@code low > high}. */
  public record SeqRange(long low, long high) {
    public boolean isEmpty() {
      return low > high;
    }
  }

  /** A page of stored records and the cursor to continue after (null at the end). */
  public record Page(List<JsonObject> entries, String nextCursor) {}

  /** The seq range matching the filter's times, capped at {@code ceiling}. */
  public Future<SeqRange> range(AuditFilter filter, long ceiling) {
    Future<Long> low = filter.from() == null ? Future.succeededFuture(1L)
        : redis.call(c -> c.zrangebyscore(Keys.auditTime(ns),
            Range.create((double) filter.from().toEpochMilli(), Double.POSITIVE_INFINITY), Limit.create(0, 1)))
            .map(list -> list.isEmpty() ? Long.MAX_VALUE : Long.parseLong(list.get(0)));
    Future<Long> high = filter.to() == null ? Future.succeededFuture(ceiling)
        : redis.call(c -> c.zrevrangebyscore(Keys.auditTime(ns),
            Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding((double) filter.to().toEpochMilli())),
            Limit.create(0, 1)))
            .map(list -> list.isEmpty() ? 0L : Math.min(ceiling, Long.parseLong(list.get(0))));
    return Future.all(low, high).map(v -> new SeqRange(low.result(), high.result()));
  }

  /** Up to {@code limit} matching entries with seq above {@code after}, within {@code range}. */
  public Future<Page> page(AuditFilter filter, SeqRange range, long after, int limit) {
    List<JsonObject> out = new ArrayList<>();
    return scan(filter, range, Math.max(range.low(), after + 1), limit, 0, out);
  }

  private Future<Page> scan(AuditFilter filter, SeqRange range, long start, int limit, int scanned, List<JsonObject> out) {
    if (start > range.high()) {
      return Future.succeededFuture(new Page(out, null));
    }
    return candidates(filter, start, range.high()).compose(seqs -> {
      if (seqs.isEmpty()) {
        return Future.succeededFuture(new Page(out, null));
      }
      return redis.call(c -> c.hmget(Keys.auditEntries(ns), seqs.toArray(String[]::new))).map(values -> {
        for (KeyValue<String, String> kv : values) {
          if (!kv.hasValue()) {
            continue; // a missing entry is for verify to report
          }
          try {
            JsonObject json = new JsonObject(kv.getValue());
            if (filter.matches(AuditCodec.fromJson(json))) {
              out.add(json);
              if (out.size() == limit) {
                return new Page(out, kv.getKey());
              }
            }
          } catch (RuntimeException e) {
            log.warn("audit entry {} is unreadable; run audit verify", kv.getKey());
          }
        }
        return null;
      }).compose(done -> {
        if (done != null) {
          return Future.succeededFuture(done);
        }
        String last = seqs.get(seqs.size() - 1);
        int seen = scanned + seqs.size();
        if (seqs.size() < BATCH) {
          return Future.succeededFuture(new Page(out, null));
        }
        if (seen >= SCAN_CAP) {
          return Future.succeededFuture(new Page(out, last));
        }
        return scan(filter, range, Long.parseLong(last) + 1, limit, seen, out);
      });
    });
  }

  /** The next seqs (ascending, from {@code start}) worth reading, from the most selective index. */
  private Future<List<String>> candidates(AuditFilter filter, long start, long high) {
    String index = filter.prisonerId() != null ? Keys.auditByPrisoner(ns, filter.prisonerId())
        : filter.contactId() != null ? Keys.auditByContact(ns, filter.contactId())
        : filter.establishment() != null ? Keys.auditByEstablishment(ns, filter.establishment())
        : null;
    if (index == null) {
      List<String> seqs = new ArrayList<>();
      for (long s = start; s <= high && seqs.size() < BATCH; s++) {
        seqs.add(Long.toString(s));
      }
      return Future.succeededFuture(seqs);
    }
    return redis.call(c -> c.zrangebyscore(index, Range.create((double) start, (double) high), Limit.create(0, BATCH)));
  }
}
