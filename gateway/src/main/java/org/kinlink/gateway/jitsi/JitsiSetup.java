package org.kinlink.gateway.jitsi;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.media.MediaBackend;
import org.kinlink.media.jitsi.EstablishmentBackends;
import org.kinlink.media.jitsi.JitsiConfig;
import org.kinlink.media.jitsi.JitsiKeys;
import org.kinlink.media.jitsi.JitsiMediaBackend;
import org.kinlink.media.jitsi.JitsiTokens;
import org.kinlink.media.jitsi.MonitorAccount;
import org.kinlink.media.jitsi.SharedCallState;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the composition root calls to set up Jitsi: reads the media file ({@code KINLINK_MEDIA_CONFIG})
 *
 * <pre>
 * establishments:
 *   HMP-A:
 *     media: {backend: jitsi, jitsi: {base_url: ..., prosody_http_url: ..., ...}}   # see JitsiConfig
 *   HMP-B:
 *     media: {backend: embedded}
 * </pre>
 *
 * and the two key pairs: from {@code login_key_file}/{@code system_key_file} (PKCS#8 PEM) when the
 * config names them, otherwise generated once under {@code <data dir>/jitsi/} (0600). One Jitsi
 * deployment per gateway for now: every establishment on Jitsi names the same one.
 */
public final class JitsiSetup {
  private final JitsiMediaBackend backend;
  private final Map<String, JitsiMediaBackend> establishments;
  private final SharedCallState shared;

  private JitsiSetup(JitsiMediaBackend backend, Map<String, JitsiMediaBackend> establishments, SharedCallState shared) {
    this.backend = backend;
    this.establishments = Map.copyOf(establishments);
    this.shared = shared;
  }

  /** Empty when no establishment is on Jitsi. Throws IllegalArgumentException naming a bad setting. */
  public static Optional<JitsiSetup> load(Vertx vertx, Path dataDir, Path mediaFile, Clock clock, Duration supervisorAbsence)
      throws IOException {
    return load(vertx, dataDir, mediaFile, clock, supervisorAbsence, SharedCallState.inMemory());
  }

  /**
   * @param redis where every node finds a call's backend and Jibri session (so any node ends it)
   */
  public static Optional<JitsiSetup> load(Vertx vertx, Path dataDir, Path mediaFile, Clock clock, Duration supervisorAbsence,
      Redis redis) throws IOException {
    return load(vertx, dataDir, mediaFile, clock, supervisorAbsence, new JitsiCallStore(redis));
  }

  @SuppressWarnings("unchecked")
  private static Optional<JitsiSetup> load(Vertx vertx, Path dataDir, Path mediaFile, Clock clock, Duration supervisorAbsence,
      SharedCallState shared) throws IOException {
    if (mediaFile == null || !Files.exists(mediaFile)) {
      return Optional.empty();
    }
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(mediaFile));
    Map<String, Object> ests = root instanceof Map<?, ?> m && m.get("establishments") instanceof Map<?, ?> e
        ? (Map<String, Object>) e : Map.of();
    Map<String, JitsiConfig> configs = new LinkedHashMap<>();
    Map<String, Object> raw = null;
    for (Map.Entry<String, Object> e : ests.entrySet()) {
      Map<String, Object> media = e.getValue() instanceof Map<?, ?> est && est.get("media") instanceof Map<?, ?> md
          ? (Map<String, Object>) md : Map.of();
      try {
        Optional<JitsiConfig> c = JitsiConfig.parse(media);
        if (c.isPresent()) {
          configs.put(e.getKey(), c.get());
          raw = (Map<String, Object>) media.get("jitsi");
        }
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException("establishments." + e.getKey() + "." + bad.getMessage(), bad);
      }
    }
    if (configs.isEmpty()) {
      return Optional.empty();
    }
    JitsiConfig config = configs.values().iterator().next();
    if (configs.values().stream().anyMatch(c -> !c.equals(config))) {
      throw new IllegalArgumentException("every establishment on Jitsi must name the same deployment (one per gateway)");
    }
    Path keyDir = dataDir.resolve("jitsi");
    JitsiKeys login = keys(raw.get("login_key_file"), keyDir, "login", config.loginKid());
    JitsiKeys system = keys(raw.get("system_key_file"), keyDir, "system", config.systemKid());
    JitsiTokens tokens = new JitsiTokens(vertx, config, login, system, clock);
    MonitorAccount monitor = config.monitorUser() == null ? null : new MonitorAccount(config.monitorUser(), monitorPassword(raw));
    JitsiMediaBackend backend = new JitsiMediaBackend(config, tokens,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), clock, supervisorAbsence, shared, monitor);
    Map<String, JitsiMediaBackend> byEst = new LinkedHashMap<>();
    configs.keySet().forEach(est -> byEst.put(est, backend));
    backend.pollRecorders(); // so RECORD is enforceable as soon as a Jibri answers IDLE
    return Optional.of(new JitsiSetup(backend, byEst, shared));
  }

  /**
   * The hidden-domain monitor account's password: {@code KINLINK_JITSI_MONITOR_PASSWORD}, else the file
   * {@code monitor_password_file} names (the deployment script generates it and registers the account).
   */
  private static String monitorPassword(Map<String, Object> raw) throws IOException {
    String env = System.getenv("KINLINK_JITSI_MONITOR_PASSWORD");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    Object file = raw.get("monitor_password_file");
    if (file == null) {
      throw new IllegalArgumentException("media.jitsi.monitor_user is set but it has no password: set "
          + "KINLINK_JITSI_MONITOR_PASSWORD or media.jitsi.monitor_password_file");
    }
    return Files.readString(Path.of(file.toString())).trim();
  }

  private static JitsiKeys keys(Object file, Path keyDir, String name, String kid) throws IOException {
    return file == null ? JitsiKeys.loadOrCreate(keyDir, name, kid) : JitsiKeys.fromPem(kid, Files.readString(Path.of(file.toString())));
  }

  /**
   * The bearer secret prosody and the finalize script present: {@code KINLINK_JITSI_API_SECRET}, or else
   * one generated once into {@code <data dir>/jitsi/api-secret} (0600) for the deployment script to copy.
   */
  public static String apiSecret(Path dataDir) {
    String env = System.getenv("KINLINK_JITSI_API_SECRET");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    Path file = dataDir.resolve("jitsi").resolve("api-secret");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      Files.createDirectories(file.getParent());
      byte[] raw = new byte[32];
      new java.security.SecureRandom().nextBytes(raw);
      String secret = java.util.HexFormat.of().formatHex(raw);
      Files.writeString(file, secret, java.nio.file.StandardOpenOption.CREATE_NEW);
      try {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // not a POSIX file system: the data dir's own permissions protect it
      }
      return secret;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot keep the Jitsi API secret in " + file, e);
    }
  }

  public JitsiMediaBackend backend() {
    return backend;
  }

  /** The lifecycle's one backend: the embedded one, except for establishments on Jitsi. */
  public MediaBackend around(MediaBackend embedded) {
    return new EstablishmentBackends(embedded, establishments, shared);
  }

  /** Prosody's presence moves calls on (OPEN -> LIVE, empty -> completed). */
  public void follow(CallProgress progress) {
    backend.onEvent(e -> {
      switch (e.kind()) {
        case JOINED, LEFT, EMPTY -> io.vertx.core.Future.fromCompletionStage(backend.presentRoles(e.callId()))
            .compose(roles -> progress.roomChanged(e.callId(), roles))
            .onFailure(err -> org.slf4j.LoggerFactory.getLogger(JitsiSetup.class)
                .warn("call {}: presence not taken: {}", e.callId(), err.getMessage()));
        default -> { }
      }
    });
  }

  /** The endpoints Jitsi calls; {@code secret} is {@code KINLINK_JITSI_API_SECRET}. */
  public JitsiModule module(Vertx vertx, RoomAuthority rooms, Redis redis,
      org.kinlink.gateway.calls.recording.RecordingStore recordings, MasterKey masterKey, AuditLog audit, Clock clock, String secret) {
    return new JitsiModule(vertx, backend, rooms, redis, recordings, masterKey, audit, clock, secret);
  }
}
