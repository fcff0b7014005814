package org.kinlink.gateway.bench;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/** Percentiles and throughput of one benchmark run, printed as one JSON line. */
public final class LatencySummary {
  private LatencySummary() {}

  /** Summarises latencies in nanoseconds over a run of {@code elapsedNanos}. */
  public static JsonObject of(String scenario, long[] latenciesNanos, int ok, int failed, int concurrency, long elapsedNanos) {
    long[] sorted = latenciesNanos.clone();
    Arrays.sort(sorted);
    return new JsonObject()
        .put("scenario", scenario)
        .put("requests", sorted.length)
        .put("concurrency", concurrency)
        .put("ok", ok)
        .put("failed", failed)
        .put("p50_ms", millis(percentile(sorted, 50)))
        .put("p99_ms", millis(percentile(sorted, 99)))
        .put("max_ms", millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1]))
        .put("throughput_per_s", elapsedNanos == 0 ? 0 : Math.round(sorted.length * 1e10 / elapsedNanos) / 10.0)
        .put("duration_ms", elapsedNanos / 1_000_000);
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
