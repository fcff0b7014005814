package org.kinlink.gateway.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.kinlink.gateway.audit.AuditCheckpointFile;
import org.kinlink.gateway.audit.AuditCheckpointer;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditSigningKey;
import org.kinlink.gateway.audit.AuditVerification;
import org.kinlink.gateway.audit.RedisAuditLog;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.redis.EmbeddedRedis;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kinlink audit bench}: appends {@code --entries} realistic entries one at a time, then again
 * from {@code --concurrency} concurrent appenders, into a fresh chain (an embedded Redis with
 * {@code appendfsync always} in a temp dir, or a throw-away namespace on {@code --redis}), with
 * checkpoints as a gateway takes them; then verifies the chain. Prints figures, and a JSON summary
 * as its last line.
 */
@Command(name = "bench", description = "Measure audit appends/second (sequential and concurrent) and verification speed.")
public final class AuditBenchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--entries", defaultValue = "2000", description = "entries per run (default 2000)")
  int entries;

  @Option(names = "--concurrency", defaultValue = "16", description = "concurrent appenders in the second run (default 16)")
  int concurrency;

  @Option(names = "--redis", description = "redis:// URL to measure instead of a temporary embedded Redis (uses a throw-away key namespace)")
  String redisUrl;

  @Override
  public Integer call() throws IOException {
    if (entries < 1 || concurrency < 1) {
      throw new ParameterException(spec.commandLine(), "--entries and --concurrency must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("kinlink-audit-bench");
    EmbeddedRedis embedded = redisUrl == null ? EmbeddedRedis.start(dir.resolve("redis")) : null;
    Redis redis = Redis.connect(redisUrl != null ? redisUrl : embedded.url(), Duration.ofSeconds(10));
    Vertx vertx = Vertx.vertx();
    String ns = "kl:{audit-bench-" + UUID.randomUUID() + "}";
    try {
      GatewayConfig defaults = GatewayConfig.defaults();
      AuditCheckpointer checkpointer = new AuditCheckpointer(vertx, redis, ns,
          AuditSigningKey.loadOrCreate(dir.resolve("audit/signing.key")), AuditCheckpointFile.inDataDir(dir),
          Clock.systemUTC(), defaults.auditCheckpointEvery(), defaults.auditCheckpointInterval());
      RedisAuditLog log = new RedisAuditLog(redis, ns, Clock.systemUTC()).withCheckpoints(checkpointer);
      AuditCommand.await(log.start(Duration.ofSeconds(10)));
      out.println("audit bench: " + entries + " entries per run, against "
          + (redisUrl != null ? redisUrl : "an embedded Redis (appendfsync always) in " + dir));
      out.flush();
      Run sequential = run(log, 1, 0);
      out.println("sequential: " + sequential.describe());
      out.flush();
      Run concurrent = run(log, concurrency, entries);
      out.println(concurrency + " concurrent: " + concurrent.describe());
      out.flush();
      AuditCommand.await(log.stop());
      long started = System.nanoTime();
      AuditVerification verification = AuditCommand.await(log.verify(null));
      double verifySeconds = (System.nanoTime() - started) / 1e9;
      out.println("verify: " + verification.summary() + String.format(" in %.2f s", verifySeconds));
      JsonObject summary = new JsonObject()
          .put("entries_per_run", entries)
          .put("sequential", sequential.toJson())
          .put("concurrent", concurrent.toJson().put("appenders", concurrency))
          .put("verify", new JsonObject().put("ok", verification.ok()).put("entries", verification.entries())
              .put("seconds", round(verifySeconds))
              .put("entries_per_second", round(verification.entries() / verifySeconds)))
          .put("redis", redisUrl != null ? "external" : "embedded, appendfsync always");
      out.println(summary.encode());
      out.flush();
      return verification.ok() ? 0 : 1;
    } finally {
      if (redisUrl != null) {
        dropNamespace(redis, ns);
      }
      AuditCommand.await(vertx.close());
      redis.close();
      if (embedded != null) {
        embedded.close();
      }
      deleteTree(dir);
    }
  }

  /** One run's figures. */
  private record Run(int appenders, int entries, double seconds, double[] latenciesMs) {
    double rate() {
      return entries / seconds;
    }

    double percentile(double p) {
      double[] sorted = latenciesMs.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    String describe() {
      return String.format("%d appends in %.2f s = %.0f appends/s (latency p50 %.2f ms, p99 %.2f ms)",
          entries, seconds, rate(), percentile(0.50), percentile(0.99));
    }

    JsonObject toJson() {
      return new JsonObject().put("appends", entries).put("seconds", round(seconds))
          .put("appends_per_second", round(rate()))
          .put("p50_ms", round(percentile(0.50))).put("p99_ms", round(percentile(0.99)));
    }
  }

  /** {@code appenders} loops, each appending its next entry when the previous one is durable. */
  private Run run(RedisAuditLog log, int appenders, int offset) {
    AtomicInteger next = new AtomicInteger();
    double[] latencies = new double[entries];
    long started = System.nanoTime();
    List<Future<Void>> loops = new ArrayList<>();
    for (int a = 0; a < appenders; a++) {
      Promise<Void> done = Promise.promise();
      loop(log, next, latencies, offset, done);
      loops.add(done.future());
    }
    AuditCommand.await(Future.all(loops));
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Run(appenders, entries, seconds, latencies);
  }

  private void loop(RedisAuditLog log, AtomicInteger next, double[] latencies, int offset, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= entries) {
      done.tryComplete();
      return;
    }
    long t0 = System.nanoTime();
    log.append(AuditEvent.of("auth.login").actor("acct-" + (i % 97), "OFFICER").establishment("styal")
            .prisoner("A" + (1000 + i % 50)).outcome(i % 10 == 0 ? "FAILED" : "OK")
            .detail("kiosk", "kiosk-styal-" + (i % 8)).detail("n", offset + i).build())
        .onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
            return;
          }
          latencies[i] = (System.nanoTime() - t0) / 1e6;
          loop(log, next, latencies, offset, done);
        });
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static void dropNamespace(Redis redis, String ns) {
    try {
      List<String> keys = new ArrayList<>(List.of(Keys.auditHead(ns), Keys.auditEntries(ns), Keys.auditTime(ns),
          Keys.auditCheckpoints(ns), Keys.auditKeys(ns), Keys.auditByEstablishment(ns, "styal")));
      for (int p = 0; p < 50; p++) {
        keys.add(Keys.auditByPrisoner(ns, "A" + (1000 + p)));
      }
      AuditCommand.await(redis.call(c -> c.del(keys.toArray(String[]::new))));
    } catch (RuntimeException e) {
      // best effort: the namespace is unique and unused by any gateway
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
