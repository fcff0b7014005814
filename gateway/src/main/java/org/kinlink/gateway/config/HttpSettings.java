package org.kinlink.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How the HTTP listeners defend themselves: timeouts, connection caps, the operations listener and
 * the limits a JSON body is checked against before schema validation.
 *
 * @param opsHost address of the operations listener ({@code /health/*}, {@code /metrics})
 * @param opsPort its port; 0 picks a free one at start
 * @param metricsToken when present, {@code /metrics} also answers on the main listener to
 *     {@code Authorization: Bearer <token>}; otherwise only on the operations listener
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param headerTimeout a connection that has not sent a complete request head this long after it opened is closed
 * @param websocketIdleTimeout a WebSocket with no frame (ping included) for this long is closed by the hub
 * @param maxConnections open connections to the main listener, for the whole node
 * @param maxConnectionsPerSource open connections from one source address (IPv6: one /64)
 * @param opsMaxConnections open connections to the operations listener
 */
public record HttpSettings(
    String opsHost,
    int opsPort,
    Optional<String> metricsToken,
    Duration idleTimeout,
    Duration headerTimeout,
    Duration websocketIdleTimeout,
    int maxConnections,
    int maxConnectionsPerSource,
    int opsMaxConnections,
    int maxJsonDepth,
    int maxJsonStringChars,
    int maxJsonMembers,
    int maxJsonItems) {

  public static HttpSettings defaults() {
    return new HttpSettings("127.0.0.1", 0, Optional.empty(), Duration.ofSeconds(60), Duration.ofSeconds(10),
        Duration.ofSeconds(120), 10_000, 64, 16, 32, 100_000, 256, 10_000);
  }

  public HttpSettings withOpsPort(int port) {
    return new HttpSettings(opsHost, port, metricsToken, idleTimeout, headerTimeout, websocketIdleTimeout, maxConnections,
        maxConnectionsPerSource, opsMaxConnections, maxJsonDepth, maxJsonStringChars, maxJsonMembers, maxJsonItems);
  }

  /** Same settings with other connection limits and timeouts (tests use short ones). */
  public HttpSettings withConnections(Duration idle, Duration header, int max, int perSource) {
    return new HttpSettings(opsHost, opsPort, metricsToken, idle, header, websocketIdleTimeout, max, perSource,
        opsMaxConnections, maxJsonDepth, maxJsonStringChars, maxJsonMembers, maxJsonItems);
  }

  public HttpSettings withMetricsToken(Optional<String> token) {
    return new HttpSettings(opsHost, opsPort, token, idleTimeout, headerTimeout, websocketIdleTimeout, maxConnections,
        maxConnectionsPerSource, opsMaxConnections, maxJsonDepth, maxJsonStringChars, maxJsonMembers, maxJsonItems);
  }
}
