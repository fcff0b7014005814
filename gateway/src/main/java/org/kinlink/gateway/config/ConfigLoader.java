package org.kinlink.gateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Builds a {@link GatewayConfig} from, in rising precedence: defaults, a YAML file, {@code KINLINK_*}
 * environment variables, then command-line flags. Unknown keys are errors, so a typo never passes silently.
 */
public final class ConfigLoader {

  /** Keys accepted in the YAML file; the env var is {@code KINLINK_} + upper-case key with '-' as '_'. */
  public static final Set<String> KEYS = Set.of(
      "host", "port", "data-dir", "redis-url", "insecure-http", "tls-certificate", "tls-private-key",
      "verticles", "max-body-bytes", "redis-command-timeout", "access-token-ttl", "refresh-token-ttl",
      "audit-checkpoint-every", "audit-checkpoint-interval",
      "ops-host", "ops-port", "metrics-token", "idle-timeout", "header-timeout", "websocket-idle-timeout",
      "max-connections", "max-connections-per-source", "ops-max-connections",
      "max-json-depth", "max-json-string-chars", "max-json-members", "max-json-items",
      "messaging-random-review-share", "recordings-dir");

  private final Map<String, String> values = new HashMap<>();
  private final Map<String, String> origin = new HashMap<>();

  /** Reads a YAML file of flat {@code key: value} settings. */
  public ConfigLoader file(Path path) {
    if (path == null) {
      return this;
    }
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("--config", "no such file: " + path);
    }
    Object doc;
    try (Reader reader = Files.newBufferedReader(path)) {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException | YAMLException e) {
      throw new ConfigException("--config", "cannot read " + path + " as YAML: " + e.getMessage());
    }
    if (doc == null) {
      return this;
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new ConfigException("--config", path + " must be a mapping of settings (key: value)");
    }
    for (var entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (!KEYS.contains(key)) {
        throw new ConfigException(key, "unknown setting in " + path + "; accepted: " + String.join(", ", KEYS.stream().sorted().toList()));
      }
      put(key, entry.getValue() == null ? null : String.valueOf(entry.getValue()), key + " (in " + path + ")");
    }
    return this;
  }

  /** Reads {@code KINLINK_*} variables for the known keys. */
  public ConfigLoader environment(Map<String, String> env) {
    for (String key : KEYS) {
      String var = envName(key);
      if (env.containsKey(var)) {
        put(key, env.get(var), var);
      }
    }
    return this;
  }

  /** A flag given on the command line; null means "not given". */
  public ConfigLoader flag(String key, Object value) {
    if (value != null) {
      put(key, String.valueOf(value), "--" + key);
    }
    return this;
  }

  /** The environment variables of {@code keys} only (a command that takes just some settings from the environment). */
  public static Map<String, String> only(Map<String, String> env, String... keys) {
    Map<String, String> out = new HashMap<>();
    for (String key : keys) {
      String var = envName(key);
      if (env.containsKey(var)) {
        out.put(var, env.get(var));
      }
    }
    return out;
  }

  public static String envName(String key) {
    return "KINLINK_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private void put(String key, String value, String from) {
    values.put(key, value);
    origin.put(key, from);
  }

  /** Validates and builds; throws {@link ConfigException} naming the first wrong setting. */
  public GatewayConfig build(GatewayConfig base) {
    Optional<String> redisUrl = string("redis-url").or(base::redisUrl);
    redisUrl.ifPresent(this::checkRedisUrl);
    Optional<Path> cert = string("tls-certificate").map(Path::of).or(base::tlsCertificate);
    Optional<Path> key = string("tls-private-key").map(Path::of).or(base::tlsPrivateKey);
    if (cert.isPresent() != key.isPresent()) {
      throw new ConfigException(cert.isPresent() ? "tls-private-key" : "tls-certificate",
          "tls-certificate and tls-private-key go together (PEM files); give both or neither");
    }
    cert.ifPresent(p -> requireFile("tls-certificate", p));
    key.ifPresent(p -> requireFile("tls-private-key", p));
    return new GatewayConfig(
        string("host").orElse(base.host()),
        integer("port", base.port(), 0, 65535),
        string("data-dir").map(Path::of).orElse(base.dataDir()),
        redisUrl,
        bool("insecure-http", base.insecureHttp()),
        cert,
        key,
        integer("verticles", base.verticles(), 1, 256),
        integer("max-body-bytes", (int) base.maxBodyBytes(), 1024, 64 * 1024 * 1024),
        duration("redis-command-timeout", base.redisCommandTimeout()),
        duration("access-token-ttl", base.accessTokenTtl()),
        duration("refresh-token-ttl", base.refreshTokenTtl()),
        integer("audit-checkpoint-every", base.auditCheckpointEvery(), 1, 1_000_000),
        duration("audit-checkpoint-interval", base.auditCheckpointInterval()),
        base.demo(),
        http(base.http()),
        share("messaging-random-review-share").or(base::messagingRandomReviewShare),
        string("recordings-dir").map(Path::of).or(base::recordingsDir));
  }

  private HttpSettings http(HttpSettings base) {
    Optional<String> token = string("metrics-token").or(base::metricsToken);
    if (token.isPresent() && token.get().length() < 32) {
      throw new ConfigException(name("metrics-token"), "must be at least 32 characters (it is a password for the metrics)");
    }
    return new HttpSettings(
        string("ops-host").orElse(base.opsHost()),
        integer("ops-port", base.opsPort(), 0, 65535),
        token,
        duration("idle-timeout", base.idleTimeout()),
        duration("header-timeout", base.headerTimeout()),
        duration("websocket-idle-timeout", base.websocketIdleTimeout()),
        integer("max-connections", base.maxConnections(), 1, 1_000_000),
        integer("max-connections-per-source", base.maxConnectionsPerSource(), 1, 1_000_000),
        integer("ops-max-connections", base.opsMaxConnections(), 1, 1000),
        integer("max-json-depth", base.maxJsonDepth(), 2, 1000),
        integer("max-json-string-chars", base.maxJsonStringChars(), 64, 64 * 1024 * 1024),
        integer("max-json-members", base.maxJsonMembers(), 8, 1_000_000),
        integer("max-json-items", base.maxJsonItems(), 8, 10_000_000));
  }

  private Optional<String> string(String key) {
    String v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v.isBlank()) {
      throw new ConfigException(name(key), "must not be empty");
    }
    return Optional.of(v.trim());
  }

  private int integer(String key, int fallback, int min, int max) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name(key), "'" + v.get() + "' is not accepted; a whole number from " + min + " to " + max);
    }
  }

  /** A share from 0 to 1 ("0.02", or "2%"). */
  private Optional<Double> share(String key) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String text = v.get();
    try {
      double d = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100
          : Double.parseDouble(text);
      if (!(d >= 0 && d <= 1)) {
        throw new NumberFormatException();
      }
      return Optional.of(d);
    } catch (NumberFormatException e) {
      throw new ConfigException(name(key), "'" + text + "' is not accepted; a share from 0 to 1 such as 0.02 (or 2%)");
    }
  }

  private boolean bool(String key, boolean fallback) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new ConfigException(name(key), "'" + v.get() + "' is not accepted; true or false");
    };
  }

  private Duration duration(String key, Duration fallback) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      Duration d = Duration.parse(v.get().toUpperCase(Locale.ROOT));
      if (d.isNegative() || d.isZero()) {
        throw new ConfigException(name(key), "must be longer than zero");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new ConfigException(name(key), "'" + v.get() + "' is not accepted; an ISO-8601 duration such as PT2S, PT10M or P14D");
    }
  }

  private void checkRedisUrl(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("redis://") || lower.startsWith("rediss://") || lower.startsWith("redis-socket://")
        || lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://"))) {
      throw new ConfigException(name("redis-url"), "'" + url
          + "' is not accepted; redis://host:port, rediss://host:port, or redis-cluster://host1:port,host2:port");
    }
  }

  private void requireFile(String key, Path p) {
    if (!Files.isReadable(p)) {
      throw new ConfigException(name(key), "cannot read file " + p);
    }
  }

  private String name(String key) {
    return origin.getOrDefault(key, key);
  }
}
