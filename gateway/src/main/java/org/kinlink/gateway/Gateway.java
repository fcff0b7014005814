package org.kinlink.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kinlink.gateway.config.GatewayConfig;
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

  /** Starts a node on the system clock and returns once it serves requests. Port 0 picks a free port. */
  public static Gateway start(GatewayConfig requested) {
    return start(requested, Clock.systemUTC());
  }

  /**
   * Starts a node whose every time-dependent decision (sign-in codes, sessions, lockouts, suspensions
   * ending, audit times) reads {@code clock}; tests pass one they move. Timers still fire in real time.
   */
  public static Gateway start(GatewayConfig requested, Clock clock) {
    GatewayConfig config = requested.port() == 0 ? requested.withPort(freePort()) : requested;
    EmbeddedRedis embedded = null;
    Redis redis = null;
    Vertx vertx = null;
    try {
      Files.createDirectories(config.dataDir());
      String url;
      if (config.redisUrl().isPresent()) {
        url = config.redisUrl().get();
      } else {
        embedded = EmbeddedRedis.start(config.dataDir().resolve("redis"));
        url = embedded.url();
      }
      redis = Redis.connect(url, config.redisCommandTimeout());
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vertx = Vertx.builder()
          .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
          .withMetrics(new MicrometerMetricsFactory(registry))
          .build();
      Services services = new Services(config, vertx, redis, clock, registry);
      await(services.start());
      await(vertx.deployVerticle(() -> new GatewayVerticle(services), new DeploymentOptions().setInstances(config.verticles())));
      log.info("gateway listening on {}://{}:{}", config.scheme(), config.host(), config.port());
      return new Gateway(config, embedded, redis, vertx, services);
    } catch (IOException e) {
      cleanup(vertx, redis, embedded);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      cleanup(vertx, redis, embedded);
      throw e;
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
