package org.kinlink.gateway.contacts;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.kinlink.gateway.redis.Redis;

/**
 * Pages through a sorted set of contacts (scored by creation time, ties by member) on the server:
 * it reads a batch after the cursor, loads those contacts, keeps the ones the caller may see, and
 * reads on until the page is full (plus one, to know whether there is a next page) or the set ends.
 */
final class IndexPager {
  /** One page: the contacts and the position after the last of them (null when there are no more). */
  record Page(List<ContactRecord> items, After next) {}

  /** Where a page starts: after this score (creation, epoch ms) and member; null means from the start. */
  public record After(double score, String member) {}

  private final Redis redis;

  IndexPager(Redis redis) {
    this.redis = redis;
  }

  /**
   * @param load reads the contact a member names (empty when it is gone)
   * @param keep which contacts the caller gets
   */
  Future<Page> page(String indexKey, After after, int limit, Function<String, Future<Optional<ContactRecord>>> load,
      Predicate<ContactRecord> keep) {
    return scan(indexKey, after, limit, load, keep, new ArrayList<>());
  }

  private Future<Page> scan(String indexKey, After after, int limit, Function<String, Future<Optional<ContactRecord>>> load,
      Predicate<ContactRecord> keep, List<Kept> kept) {
    int batch = limit + 17;
    Range<Double> range = Range.create(after == null ? Double.NEGATIVE_INFINITY : after.score(), Double.POSITIVE_INFINITY);
    return redis.<List<ScoredValue<String>>>call(c -> c.zrangebyscoreWithScores(indexKey, range, Limit.create(0, batch)))
        .compose(entries -> {
          List<ScoredValue<String>> fresh = entries.stream().filter(e -> after == null || e.getScore() > after.score()
              || e.getValue().compareTo(after.member()) > 0).toList();
          List<Future<Optional<ContactRecord>>> reads = fresh.stream().map(e -> load.apply(e.getValue())).toList();
          return Future.all(reads).compose(v -> {
            for (int i = 0; i < fresh.size(); i++) {
              Optional<ContactRecord> c = reads.get(i).result();
              if (c.isPresent() && keep.test(c.get())) {
                kept.add(new Kept(c.get(), new After(fresh.get(i).getScore(), fresh.get(i).getValue())));
              }
            }
            boolean exhausted = entries.size() < batch;
            if (kept.size() > limit || exhausted || entries.isEmpty()) {
              List<Kept> page = kept.subList(0, Math.min(limit, kept.size()));
              After next = kept.size() > limit ? page.get(page.size() - 1).position() : null;
              return Future.succeededFuture(new Page(page.stream().map(Kept::contact).toList(), next));
            }
            ScoredValue<String> last = entries.get(entries.size() - 1);
            return scan(indexKey, new After(last.getScore(), last.getValue()), limit, load, keep, kept);
          });
        });
  }

  private record Kept(ContactRecord contact, After position) {}
}
