package org.kinlink.gateway.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.messaging.SendStages;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.redis.UnlistedCommand;

/**
 * What the slow messages of a phase waited for, measured beside them: the JVM's stop-the-world GC
 * pauses, Redis's slow AOF fsyncs (its latency monitor; with {@code appendfsync always} every reply
 * waits for one), and the slowest 100 ms windows by send time. A p99 alone does not say whether
 * the node, the collector or the disk made it. And the floor under each of a send's sequential
 * round trips: a one-key write to the same Redis every {@link #PROBE_EVERY_MS} ms, timed from the
 * bench's event loop as the node's stages are timed from theirs, beside the node's own timers of
 * those stages ({@link SendStages}) over the same phase. And when an AOF rewrite ran (polled every
 * {@link #REWRITE_POLL_MS} ms): what share of the phase it covered, and the latency of the messages
 * in flight while it ran against the others', so a p99 can be told apart from the disk's.
 */
final class TailCauses implements NotificationListener {
  /** Redis records an fsync in its latency monitor only when it took at least this long. */
  static final int FSYNC_THRESHOLD_MS = 10;
  static final long PROBE_EVERY_MS = 5;
  static final long REWRITE_POLL_MS = 50;
  private static final long WINDOW_NANOS = 100_000_000L;

  private final Redis redis;
  private final long startNanos = System.nanoTime();
  private final long startUptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
  private final ConcurrentLinkedQueue<long[]> pauses = new ConcurrentLinkedQueue<>(); // {end uptime ms, duration ms}
  /** {sent at (nanoTime), latency (nanos)} of every delivered message of the phase. */
  final ConcurrentLinkedQueue<long[]> timeline = new ConcurrentLinkedQueue<>();
  private final boolean monitoring;
  private final ConcurrentLinkedQueue<Long> roundTrips = new ConcurrentLinkedQueue<>();
  private final String probeKey = "kinlink:bench:round-trip-probe:" + java.util.UUID.randomUUID();
  private final io.vertx.core.Vertx vertx;
  private final SendStages stages;
  private final java.util.Map<SendStages.Stage, HistogramSnapshot> stagesBefore = new java.util.EnumMap<>(SendStages.Stage.class);
  private long probeTimer = -1;
  private long rewriteTimer = -1;
  /** {from, to} (nanoTime) of each time a rewrite was seen running; {@code to} is -1 while it still is. */
  private final List<long[]> rewrites = new ArrayList<>();
  /** {@code aof_base_size} and {@code aof_rewrite_in_progress} when the phase began; empty when INFO is refused. */
  private final java.util.Map<String, String> persistenceBefore = new java.util.HashMap<>();

  private TailCauses(Redis redis, io.vertx.core.Vertx vertx, SendStages stages, boolean monitoring) {
    this.redis = redis;
    this.vertx = vertx;
    this.stages = stages;
    this.monitoring = monitoring;
  }

  /**
   * Starts listening to GC pauses, turns on Redis's latency monitor (if Redis lets it: a managed one
   * may not) and starts the round-trip probe on {@code vertx}.
   */
  static TailCauses start(Redis redis, io.vertx.core.Vertx vertx, SendStages stages) {
    boolean monitoring;
    try {
      Gateway.await(redis.call(c -> c.configSet("latency-monitor-threshold", Integer.toString(FSYNC_THRESHOLD_MS))));
      Gateway.await(redis.call(c -> c.dispatch(UnlistedCommand.LATENCY, new NestedMultiOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).add("RESET"))));
      monitoring = true;
    } catch (RuntimeException refused) {
      monitoring = false;
    }
    TailCauses t = new TailCauses(redis, vertx, stages, monitoring);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(t, null, null);
      }
    }
    for (SendStages.Stage stage : SendStages.Stage.values()) {
      t.stagesBefore.put(stage, stages.timer(stage).takeSnapshot());
    }
    t.persistenceBefore.putAll(persistence(redis));
    t.probeTimer = vertx.setPeriodic(PROBE_EVERY_MS, id -> {
      long sent = System.nanoTime();
      redis.call(c -> c.set(t.probeKey, Long.toString(sent))).onSuccess(ok -> t.roundTrips.add(System.nanoTime() - sent));
    });
    if (rewriting(t.persistenceBefore)) {
      t.rewrites.add(new long[] {t.startNanos, -1});
    }
    t.rewriteTimer = vertx.setPeriodic(REWRITE_POLL_MS, id -> redis.<String>call(c -> c.info("persistence"))
        .onSuccess(info -> t.sawRewrite(rewriting(aofFields(info)), System.nanoTime())));
    return t;
  }

  /** Opens or closes the current rewrite interval as a poll saw it (its edges are within a poll of the truth). */
  private void sawRewrite(boolean running, long at) {
    synchronized (rewrites) {
      long[] last = rewrites.isEmpty() ? null : rewrites.get(rewrites.size() - 1);
      boolean open = last != null && last[1] < 0;
      if (running && !open) {
        rewrites.add(new long[] {at, -1});
      } else if (!running && open) {
        last[1] = at;
      }
    }
  }

  @Override
  public void handleNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    // a concurrent collector's cycle ("end of GC cycle") runs beside the application: not a pause
    if (info.getGcAction().contains("cycle")) {
      return;
    }
    pauses.add(new long[] {info.getGcInfo().getEndTime(), info.getGcInfo().getDuration()});
  }

  /** Stops listening and probing, restores Redis's monitor, and reports. */
  JsonObject stop() {
    vertx.cancelTimer(probeTimer);
    vertx.cancelTimer(rewriteTimer);
    long stoppedAt = System.nanoTime();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(this);
        } catch (ListenerNotFoundException ignored) {
          // not added: nothing to remove
        }
      }
    }
    JsonObject out = new JsonObject();
    long total = 0;
    long max = 0;
    for (long[] p : pauses) {
      total += p[1];
      max = Math.max(max, p[1]);
    }
    out.put("gc_pauses", new JsonObject().put("count", pauses.size()).put("total_ms", total).put("max_ms", max));
    long[] trips = roundTrips.stream().mapToLong(Long::longValue).toArray();
    out.put("redis_round_trip", LatencySummary.of("round-trip-probe", trips, trips.length, 0, 1, System.nanoTime() - startNanos)
        .put("every_ms", PROBE_EVERY_MS));
    JsonObject steps = new JsonObject();
    for (SendStages.Stage stage : SendStages.Stage.values()) {
      steps.put(stage.tag(), since(stagesBefore.get(stage), stages.timer(stage).takeSnapshot()));
    }
    out.put("send_stages", steps);
    try {
      Gateway.await(redis.call(c -> c.del(probeKey)));
    } catch (RuntimeException ignored) {
      // a stray probe key of a few bytes
    }
    if (monitoring) {
      out.put("redis_slow_fsyncs", fsyncs());
      try {
        Gateway.await(redis.call(c -> c.configSet("latency-monitor-threshold", "0")));
      } catch (RuntimeException ignored) {
        // left on: it costs Redis a clock read per command, nothing more
      }
    }
    out.put("slowest_windows", slowestWindows(3));
    out.put("beside_aof_rewrites", besideRewrites(stoppedAt));
    java.util.Map<String, String> after = persistence(redis);
    if (!after.isEmpty() && !persistenceBefore.isEmpty()) {
      // a rewrite writes the whole dataset again beside the AOF the fsyncs wait for
      out.put("aof_rewrite", new JsonObject()
          .put("in_progress_at_start", rewriting(persistenceBefore))
          .put("completed_during", !java.util.Objects.equals(persistenceBefore.get("aof_base_size"), after.get("aof_base_size")))
          .put("in_progress_at_end", rewriting(after)));
    }
    return out;
  }

  /** The AOF fields of {@code INFO persistence} this report uses; empty when Redis refuses INFO. */
  private static java.util.Map<String, String> persistence(Redis redis) {
    try {
      return aofFields(Gateway.await(redis.<String>call(c -> c.info("persistence"))));
    } catch (RuntimeException refused) {
      return new java.util.HashMap<>();
    }
  }

  /** {@code aof_base_size} and {@code aof_rewrite_in_progress} out of an {@code INFO persistence} answer. */
  private static java.util.Map<String, String> aofFields(String info) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && (line.startsWith("aof_base_size") || line.startsWith("aof_rewrite_in_progress"))) {
        out.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  private static boolean rewriting(java.util.Map<String, String> aof) {
    return "1".equals(aof.get("aof_rewrite_in_progress"));
  }

  /**
   * p50 and p99 of what a timer recorded between two snapshots, read from its histogram buckets
   * (each the upper bound of the bucket the percentile falls in, so within a bucket's width).
   */
  static JsonObject since(HistogramSnapshot before, HistogramSnapshot after) {
    long count = after.count() - before.count();
    JsonObject out = new JsonObject().put("count", count);
    if (count <= 0) {
      return out;
    }
    CountAtBucket[] was = before.histogramCounts();
    CountAtBucket[] now = after.histogramCounts();
    for (double p : new double[] {0.5, 0.99}) {
      double bound = Double.NaN;
      for (int i = 0; i < now.length; i++) {
        double cumulative = now[i].count() - (i < was.length ? was[i].count() : 0);
        if (cumulative >= p * count) {
          bound = now[i].bucket(java.util.concurrent.TimeUnit.MILLISECONDS);
          break;
        }
      }
      out.put(p == 0.5 ? "p50_ms_at_most" : "p99_ms_at_most", Double.isNaN(bound) ? null : Math.round(bound * 100) / 100.0);
    }
    return out;
  }

  /** Seconds in which Redis saw an fsync of {@link #FSYNC_THRESHOLD_MS} ms or more, and the slowest one. */
  private JsonObject fsyncs() {
    JsonObject out = new JsonObject().put("threshold_ms", FSYNC_THRESHOLD_MS);
    try {
      List<Object> history = Gateway.await(redis.call(c -> c.dispatch(UnlistedCommand.LATENCY, new NestedMultiOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).add("HISTORY").add("aof-fsync-always"))));
      long max = 0;
      for (Object sample : history) {
        if (sample instanceof List<?> pair && pair.size() == 2 && pair.get(1) instanceof Number ms) {
          max = Math.max(max, ms.longValue());
        }
      }
      return out.put("seconds_with_one", history.size()).put("max_ms", max);
    } catch (RuntimeException e) {
      return out.put("error", String.valueOf(e.getMessage()));
    }
  }

  /**
   * The share of the phase an AOF rewrite was seen running, and p50/p99 of the messages in flight
   * (sent to delivered) while one ran against the rest's. Both are reported: a rewrite runs about
   * (AOF bytes a second / the rewrite's write speed) of the time at any dataset size, so a p99 that
   * leaves them out would not be what a sustained load sees.
   */
  private JsonObject besideRewrites(long stoppedAt) {
    List<long[]> spans = new ArrayList<>();
    synchronized (rewrites) {
      for (long[] r : rewrites) {
        spans.add(new long[] {r[0], r[1] < 0 ? stoppedAt : r[1]});
      }
    }
    return besideRewrites(spans, timeline, stoppedAt - startNanos);
  }

  /**
   * As {@link #besideRewrites(long)}, from the rewrites' {from, to} and the messages' {sent, latency}
   * (nanoTime): a message counts as during a rewrite when its flight overlaps one.
   */
  static JsonObject besideRewrites(List<long[]> spans, Iterable<long[]> messages, long elapsedNanos) {
    long covered = 0;
    for (long[] r : spans) {
      covered += r[1] - r[0];
    }
    List<Long> during = new ArrayList<>();
    List<Long> outside = new ArrayList<>();
    for (long[] m : messages) {
      long end = m[0] + m[1];
      boolean overlaps = spans.stream().anyMatch(r -> m[0] < r[1] && end > r[0]);
      (overlaps ? during : outside).add(m[1]);
    }
    return new JsonObject().put("poll_every_ms", REWRITE_POLL_MS).put("rewrites_seen", spans.size())
        .put("share_of_phase", elapsedNanos <= 0 ? 0 : Math.round(covered * 1000.0 / elapsedNanos) / 1000.0)
        .put("messages_in_flight_during", percentiles(during)).put("messages_otherwise", percentiles(outside));
  }

  private static JsonObject percentiles(List<Long> latencies) {
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new JsonObject().put("count", sorted.length)
        .put("p50_ms", Math.round(LatencySummary.percentile(sorted, 50) / 10_000.0) / 100.0)
        .put("p99_ms", Math.round(LatencySummary.percentile(sorted, 99) / 10_000.0) / 100.0);
  }

  /** The {@code n} 100 ms windows (by send time) whose slowest message took longest. */
  private JsonArray slowestWindows(int n) {
    TreeMap<Long, long[]> windows = new TreeMap<>(); // window -> {messages, max latency}
    for (long[] m : timeline) {
      long[] w = windows.computeIfAbsent((m[0] - startNanos) / WINDOW_NANOS, k -> new long[2]);
      w[0]++;
      w[1] = Math.max(w[1], m[1]);
    }
    List<java.util.Map.Entry<Long, long[]>> worst = new ArrayList<>(windows.entrySet());
    worst.sort(Comparator.comparingLong((java.util.Map.Entry<Long, long[]> e) -> e.getValue()[1]).reversed());
    JsonArray out = new JsonArray();
    for (var e : worst.subList(0, Math.min(n, worst.size()))) {
      long fromMs = startUptimeMs + e.getKey() * 100;
      long paused = 0;
      for (long[] p : pauses) {
        if (p[0] >= fromMs && p[0] - p[1] < fromMs + 100) {
          paused += p[1];
        }
      }
      out.add(new JsonObject().put("at_s", e.getKey() / 10.0).put("messages", e.getValue()[0])
          .put("max_ms", Math.round(e.getValue()[1] / 100_000.0) / 10.0).put("gc_paused_ms", paused));
    }
    return out;
  }
}
