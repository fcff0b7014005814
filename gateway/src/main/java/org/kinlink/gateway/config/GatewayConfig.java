package org.kinlink.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the gateway needs to start, already validated.
 *
 * @param redisUrl empty: start the bundled Redis under {@code dataDir}
 * @param demo true only for {@code kinlink demo}: binds loopback, loads demo data
 * @param messagingRandomReviewShare {@code messaging-random-review-share}: the share (0..1) of ordinary
 *     messages held for review; empty: the mode's default ({@link #randomReviewShare()})
 * @param recordingsDir {@code recordings-dir}: where call recordings' sealed chunks are kept; empty:
 *     {@code <data-dir>/recordings} ({@link #recordingsDirectory()})
 */
public record GatewayConfig(
    String host,
    int port,
    Path dataDir,
    Optional<String> redisUrl,
    boolean insecureHttp,
    Optional<Path> tlsCertificate,
    Optional<Path> tlsPrivateKey,
    int verticles,
    long maxBodyBytes,
    Duration redisCommandTimeout,
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    int auditCheckpointEvery,
    Duration auditCheckpointInterval,
    boolean demo,
    HttpSettings http,
    Optional<Double> messagingRandomReviewShare,
    Optional<Path> recordingsDir) {

  /** Default share of ordinary messages held at random in {@code serve} (none in {@code demo}: its stories stay predictable). */
  public static final double SERVE_RANDOM_REVIEW_SHARE = 0.02;

  public GatewayConfig {
    messagingRandomReviewShare = messagingRandomReviewShare == null ? Optional.empty() : messagingRandomReviewShare;
    recordingsDir = recordingsDir == null ? Optional.empty() : recordingsDir;
    messagingRandomReviewShare.ifPresent(v -> {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("messaging-random-review-share must be from 0 to 1");
      }
    });
  }

  /** The settings before {@code recordings-dir}: its default. */
  public GatewayConfig(String host, int port, Path dataDir, Optional<String> redisUrl, boolean insecureHttp,
      Optional<Path> tlsCertificate, Optional<Path> tlsPrivateKey, int verticles, long maxBodyBytes,
      Duration redisCommandTimeout, Duration accessTokenTtl, Duration refreshTokenTtl, int auditCheckpointEvery,
      Duration auditCheckpointInterval, boolean demo, HttpSettings http, Optional<Double> messagingRandomReviewShare) {
    this(host, port, dataDir, redisUrl, insecureHttp, tlsCertificate, tlsPrivateKey, verticles, maxBodyBytes,
        redisCommandTimeout, accessTokenTtl, refreshTokenTtl, auditCheckpointEvery, auditCheckpointInterval, demo,
        http, messagingRandomReviewShare, Optional.empty());
  }

  /** The settings before the messaging ones: their defaults. */
  public GatewayConfig(String host, int port, Path dataDir, Optional<String> redisUrl, boolean insecureHttp,
      Optional<Path> tlsCertificate, Optional<Path> tlsPrivateKey, int verticles, long maxBodyBytes,
      Duration redisCommandTimeout, Duration accessTokenTtl, Duration refreshTokenTtl, int auditCheckpointEvery,
      Duration auditCheckpointInterval, boolean demo, HttpSettings http) {
    this(host, port, dataDir, redisUrl, insecureHttp, tlsCertificate, tlsPrivateKey, verticles, maxBodyBytes,
        redisCommandTimeout, accessTokenTtl, refreshTokenTtl, auditCheckpointEvery, auditCheckpointInterval, demo,
        http, Optional.empty());
  }

  /** The share of ordinary messages held at random: as configured, else 0.02 in serve and 0 in demo. */
  public double randomReviewShare() {
    return messagingRandomReviewShare.orElse(demo ? 0 : SERVE_RANDOM_REVIEW_SHARE);
  }

  /** Where recordings' chunks are kept: as configured, else {@code <data-dir>/recordings}. */
  public Path recordingsDirectory() {
    return recordingsDir.orElse(dataDir.resolve("recordings"));
  }

  /** The settings before {@link HttpSettings}: its defaults. */
  public GatewayConfig(String host, int port, Path dataDir, Optional<String> redisUrl, boolean insecureHttp,
      Optional<Path> tlsCertificate, Optional<Path> tlsPrivateKey, int verticles, long maxBodyBytes,
      Duration redisCommandTimeout, Duration accessTokenTtl, Duration refreshTokenTtl, int auditCheckpointEvery,
      Duration auditCheckpointInterval, boolean demo) {
    this(host, port, dataDir, redisUrl, insecureHttp, tlsCertificate, tlsPrivateKey, verticles, maxBodyBytes,
        redisCommandTimeout, accessTokenTtl, refreshTokenTtl, auditCheckpointEvery, auditCheckpointInterval, demo,
        HttpSettings.defaults());
  }

  /** Defaults that a development machine can run with. */
  public static GatewayConfig defaults() {
    return new GatewayConfig(
        "127.0.0.1",
        8443,
        Path.of("data"),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        1024 * 1024,
        Duration.ofSeconds(2),
        Duration.ofMinutes(10),
        Duration.ofDays(14),
        100,
        Duration.ofSeconds(30),
        false);
  }

  /** Scheme the gateway serves, for printing URLs. */
  public String scheme() {
    return insecureHttp ? "http" : "https";
  }

  public GatewayConfig withPort(int newPort) {
    return with(c -> c.port = newPort);
  }

  public GatewayConfig withHttp(HttpSettings settings) {
    return with(c -> c.http = settings);
  }

  public GatewayConfig withRedisUrl(Optional<String> url) {
    return with(c -> c.redisUrl = url);
  }

  public GatewayConfig withDataDir(Path dir) {
    return with(c -> c.dataDir = dir);
  }

  /** The same settings with {@code messaging-random-review-share} set (empty: the mode's default). */
  public GatewayConfig withRandomReviewShare(Optional<Double> share) {
    return with(c -> c.messagingRandomReviewShare = share);
  }

  /** The same settings with {@code recordings-dir} set (empty: under the data dir). */
  public GatewayConfig withRecordingsDir(Optional<Path> dir) {
    return with(c -> c.recordingsDir = dir);
  }

  /** The same settings in demo mode (demo data, demo kiosks) or not. */
  public GatewayConfig withDemo(boolean demoMode) {
    return with(c -> c.demo = demoMode);
  }

  /** These settings with what {@code change} sets on a copy of them (validated again, as any config is). */
  private GatewayConfig with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /**
   * Every component of a config, settable, so that each {@code with…} names only the one it changes.
   * A new component is one field here, one line in the constructor and one argument in build().
   */
  private static final class Copy {
    String host;
    int port;
    Path dataDir;
    Optional<String> redisUrl;
    boolean insecureHttp;
    Optional<Path> tlsCertificate;
    Optional<Path> tlsPrivateKey;
    int verticles;
    long maxBodyBytes;
    Duration redisCommandTimeout;
    Duration accessTokenTtl;
    Duration refreshTokenTtl;
    int auditCheckpointEvery;
    Duration auditCheckpointInterval;
    boolean demo;
    HttpSettings http;
    Optional<Double> messagingRandomReviewShare;
    Optional<Path> recordingsDir;

    Copy(GatewayConfig c) {
      host = c.host;
      port = c.port;
      dataDir = c.dataDir;
      redisUrl = c.redisUrl;
      insecureHttp = c.insecureHttp;
      tlsCertificate = c.tlsCertificate;
      tlsPrivateKey = c.tlsPrivateKey;
      verticles = c.verticles;
      maxBodyBytes = c.maxBodyBytes;
      redisCommandTimeout = c.redisCommandTimeout;
      accessTokenTtl = c.accessTokenTtl;
      refreshTokenTtl = c.refreshTokenTtl;
      auditCheckpointEvery = c.auditCheckpointEvery;
      auditCheckpointInterval = c.auditCheckpointInterval;
      demo = c.demo;
      http = c.http;
      messagingRandomReviewShare = c.messagingRandomReviewShare;
      recordingsDir = c.recordingsDir;
    }

    GatewayConfig build() {
      return new GatewayConfig(host, port, dataDir, redisUrl, insecureHttp, tlsCertificate, tlsPrivateKey,
          verticles, maxBodyBytes, redisCommandTimeout, accessTokenTtl, refreshTokenTtl,
          auditCheckpointEvery, auditCheckpointInterval, demo, http, messagingRandomReviewShare, recordingsDir);
    }
  }
}
