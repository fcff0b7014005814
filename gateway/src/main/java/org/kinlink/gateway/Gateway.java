package org.kinlink.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.http.OpenApiDocument;
import org.kinlink.gateway.http.SelfSignedCertificate;
import org.kinlink.gateway.ops.BootstrapAdvice;
import org.kinlink.gateway.ops.DataDir;
import org.kinlink.gateway.ops.Readiness;
import org.kinlink.gateway.redis.EmbeddedRedis;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway node: Redis (embedded or configured), Vert.x, and one HTTP verticle per core.
 * {@link #close()} stops them in the safe order: stop taking requests, finish those in flight,
 * then close Redis.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final GatewayConfig config;
  private final EmbeddedRedis embedded;
  private final Redis redis;
  private final Vertx vertx;
  private final Services services;
  private volatile boolean closed;

  private Gateway(GatewayConfig config, EmbeddedRedis embedded, Redis redis, Vertx vertx, Services services) {
    this.config = config;
    this.embedded = embedded;
    this.redis = redis;
    this.vertx = vertx;
    this.services = services;
  }

  /**
   * Work that must finish before the node is ready (the demo data), run once the background work
   * has started, alongside the HTTP verticles' start.
   *
   * @param name the readiness check that stays 503 until it is done
   * @param message what {@code /health/ready} says meanwhile
   */
  public record StartupTask(String name, String message, Function<Services, Future<Void>> run) {}

  /** Starts a node on the system clock and returns once it serves requests. Port 0 picks a free port. */
  public static Gateway start(GatewayConfig requested) {
    return start(requested, Clock.systemUTC(), List.of());
  }

  /**
   * Starts a node whose every time-dependent decision (sign-in codes, sessions, lockouts, suspensions
   * ending, audit times) reads {@code clock}; tests pass one they move. Timers still fire in real time.
   */
  public static Gateway start(GatewayConfig requested, Clock clock) {
    return start(requested, clock, List.of());
  }

  /** Starts a node on the system clock that is ready only once {@code tasks} are done. */
  public static Gateway start(GatewayConfig requested, List<StartupTask> tasks) {
    return start(requested, Clock.systemUTC(), tasks);
  }

  /**
   * Starts a node and returns once it is ready: Redis answering, background work started, every
   * task done. Each phase logs its milliseconds ({@code start-up phase}); independent phases run
   * at once (Vert.x, the OpenAPI contract and the TLS certificate while Redis starts; the tasks
   * while the verticles start).
   */
  public static Gateway start(GatewayConfig requested, Clock clock, List<StartupTask> tasks) {
    GatewayConfig config = withFreePorts(requested);
    long begun = System.nanoTime();
    EmbeddedRedis embedded = null;
    Redis redis = null;
    Vertx vertx = null;
    CompletableFuture<Vertx> vertxStarting = null;
    // not the common pool: on 2 cores it has one thread, and these must run side by side
    ExecutorService side = Executors.newVirtualThreadPerTaskExecutor();
    try {
      phase("data-dir", () -> DataDir.secure(config.dataDir()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vertxStarting = CompletableFuture.supplyAsync(() -> phase("vertx", () -> Vertx.builder()
          .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
          .withMetrics(new MicrometerMetricsFactory(registry))
          .build()), side);
      CompletableFuture<JsonObject> openApi = CompletableFuture.supplyAsync(() -> phase("openapi", OpenApiDocument::load), side);
      // made once, before any verticle starts: event loops racing to make it could pair one's key with another's certificate
      CompletableFuture<SelfSignedCertificate.PemFiles> tls = CompletableFuture.supplyAsync(
          () -> phase("tls", () -> GatewayVerticle.tlsFiles(config)), side);
      String url;
      if (config.redisUrl().isPresent()) {
        url = config.redisUrl().get();
      } else {
        embedded = phase("embedded-redis", () -> EmbeddedRedis.start(config.dataDir().resolve("redis")));
        url = embedded.url();
      }
      String redisUrl = url;
      redis = phase("redis-connect", () -> Redis.connect(redisUrl, config.redisCommandTimeout()));
      vertx = join(vertxStarting);
      Services services = new Services(config, vertx, redis, clock, registry);
      Readiness readiness = services.readiness();
      readiness.pending("background", "STARTING", "the audit log, sign-in and contacts background work are starting");
      for (StartupTask task : tasks) {
        readiness.pending(task.name(), "LOADING", task.message());
      }
      if (embedded != null) {
        superviseEmbedded(embedded, readiness);
      }
      if (!config.demo()) {
        BootstrapAdvice.register(readiness, services.directory(), config);
      }
      Services started = services;
      phase("background", () -> await(started.start()));
      readiness.ready("background");
      List<Future<Void>> running = new ArrayList<>();
      for (StartupTask task : tasks) {
        long t0 = System.nanoTime();
        running.add(task.run().apply(services).onSuccess(v -> {
          readiness.ready(task.name());
          log.info("start-up phase {} took {} ms", task.name(), (System.nanoTime() - t0) / 1_000_000);
        }));
      }
      JsonObject doc = join(openApi);
      String yaml = OpenApiDocument.yaml(doc);
      SelfSignedCertificate.PemFiles pem = join(tls);
      Vertx v = vertx;
      phase("http", () -> await(v.deployVerticle(() -> new GatewayVerticle(started, doc, yaml, pem),
          new DeploymentOptions().setInstances(config.verticles()))));
      await(Future.all(running));
      DataDir.secure(config.dataDir()); // what start-up created (audit key, certificate ...)
      log.info("gateway ready on {}://{}:{} after {} ms, operations (health, metrics) on http://{}:{}", config.scheme(),
          config.host(), config.port(), (System.nanoTime() - begun) / 1_000_000, config.http().opsHost(), config.http().opsPort());
      return new Gateway(config, embedded, redis, vertx, services);
    } catch (RuntimeException e) {
      if (vertx == null && vertxStarting != null) {
        vertx = vertxStarting.exceptionally(x -> null).join();
      }
      cleanup(vertx, redis, embedded);
      throw e;
    } finally {
      side.shutdown();
    }
  }

  private static void superviseEmbedded(EmbeddedRedis embedded, Readiness readiness) {
    readiness.ready("embedded-redis");
    embedded.supervise(new EmbeddedRedis.Listener() {
      @Override
      public void down(String message) {
        readiness.pending("embedded-redis", "RESTARTING", message);
      }

      @Override
      public void up() {
        readiness.ready("embedded-redis");
      }
    });
  }

  private static <T> T phase(String name, Supplier<T> work) {
    long t0 = System.nanoTime();
    T result = work.get();
    log.info("start-up phase {} took {} ms", name, (System.nanoTime() - t0) / 1_000_000);
    return result;
  }

  private static void phase(String name, Runnable work) {
    phase(name, () -> {
      work.run();
      return null;
    });
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  private static void cleanup(Vertx vertx, Redis redis, EmbeddedRedis embedded) {
    if (vertx != null) {
      try {
        await(vertx.close());
      } catch (RuntimeException ignored) {
        // already failing
      }
    }
    if (redis != null) {
      redis.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }

  /** Waits for a future from a non-event-loop thread (startup, shutdown, the CLI). */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out waiting for the gateway", e);
    }
  }

  /** Port 0 (main or operations listener): a free one, picked now so every event loop listens on the same. */
  private static GatewayConfig withFreePorts(GatewayConfig requested) {
    GatewayConfig config = requested.port() == 0 ? requested.withPort(freePort()) : requested;
    return config.http().opsPort() == 0 ? config.withHttp(config.http().withOpsPort(freePort())) : config;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public GatewayConfig config() {
    return config;
  }

  public Services services() {
    return services;
  }

  public int port() {
    return config.port();
  }

  /** Port of the operations listener ({@code /health/*}, {@code /metrics}). */
  public int opsPort() {
    return config.http().opsPort();
  }

  /** Base URL clients use, e.g. {@code http://127.0.0.1:8080}. */
  public String baseUrl() {
    String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
    return config.scheme() + "://" + host + ":" + config.port();
  }

  /** The embedded Redis, when this node started one. */
  public EmbeddedRedis embeddedRedis() {
    return embedded;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("gateway stopping");
    try {
      for (String id : vertx.deploymentIDs()) {
        await(vertx.undeploy(id));
      }
      await(services.stop());
    } catch (RuntimeException e) {
      log.warn("while stopping", e);
    } finally {
      cleanup(vertx, redis, embedded);
    }
    log.info("gateway stopped");
  }
}
