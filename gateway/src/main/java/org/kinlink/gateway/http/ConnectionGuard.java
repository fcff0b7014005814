package org.kinlink.gateway.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.shareddata.Shareable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps one listener's open connections, for the whole node (every event loop's server shares one
 * guard) and per source address, and closes a connection that has not sent a complete request head
 * within the header timeout. Connections over a cap are accepted and closed at once, so a flood
 * costs a file descriptor only for a moment and never starves the operations listener.
 */
public final class ConnectionGuard implements Shareable {
  private final Vertx vertx;
  private final int max;
  private final int maxPerSource;
  private final long headerTimeoutMillis;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, Integer> perSource = new ConcurrentHashMap<>();
  private final Map<HttpConnection, Long> waitingForHead = new ConcurrentHashMap<>();
  // a WebSocket upgrade is handed over without its connection, so it is found by the peer's address
  private final Map<String, HttpConnection> byPeer = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();

  private ConnectionGuard(Vertx vertx, int max, int maxPerSource, long headerTimeoutMillis) {
    this.vertx = vertx;
    this.max = max;
    this.maxPerSource = maxPerSource;
    this.headerTimeoutMillis = headerTimeoutMillis;
  }

  /**
   * The node's guard for the listener called {@code name}, created (and its meters registered) by the
   * first event loop that asks.
   */
  public static ConnectionGuard shared(Vertx vertx, MeterRegistry meters, String name, int max, int maxPerSource,
      long headerTimeoutMillis) {
    return vertx.sharedData().<String, ConnectionGuard>getLocalMap("kinlink.connection-guards").computeIfAbsent(name, k -> {
      ConnectionGuard guard = new ConnectionGuard(vertx, max, maxPerSource, headerTimeoutMillis);
      Gauge.builder("kinlink.http.connections.open", guard.open, AtomicInteger::get).tag("listener", name)
          .description("open connections").register(meters);
      FunctionCounter.builder("kinlink.http.connections.refused", guard.refused, AtomicLong::get).tag("listener", name)
          .description("connections closed at once: over the node's or the source's cap").register(meters);
      FunctionCounter.builder("kinlink.http.connections.header.timeouts", guard.timedOut, AtomicLong::get).tag("listener", name)
          .description("connections closed for sending no complete request head in time").register(meters);
      return guard;
    });
  }

  /** The server's connection handler. */
  public void accept(HttpConnection connection) {
    FrontDoor.checkVersions(connection);
    String source = sourceOf(connection.remoteAddress());
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refuse(connection);
      return;
    }
    int[] count = new int[1];
    perSource.compute(source, (k, n) -> count[0] = (n == null ? 0 : n) + 1);
    if (count[0] > maxPerSource) {
      release(source);
      refuse(connection);
      return;
    }
    long timer = vertx.setTimer(headerTimeoutMillis, id -> {
      if (waitingForHead.remove(connection) != null) {
        timedOut.incrementAndGet();
        connection.close();
      }
    });
    waitingForHead.put(connection, timer);
    String peer = String.valueOf(connection.remoteAddress());
    byPeer.put(peer, connection);
    connection.closeHandler(v -> {
      release(source);
      byPeer.remove(peer, connection);
      Long pending = waitingForHead.remove(connection);
      if (pending != null) {
        vertx.cancelTimer(pending);
      }
    });
  }

  /**
   * A WebSocket upgrade arrived from {@code peer}: its head was complete, so the header timeout must
   * not close the socket it became.
   */
  public void webSocketArrived(io.vertx.core.net.SocketAddress peer) {
    HttpConnection connection = byPeer.get(String.valueOf(peer));
    if (connection != null) {
      requestArrived(connection);
    }
  }

  /** A complete request head arrived on the connection: it is no longer a half-open one. */
  public void requestArrived(HttpConnection connection) {
    Long pending = waitingForHead.remove(connection);
    if (pending != null) {
      vertx.cancelTimer(pending);
    }
  }

  public int open() {
    return open.get();
  }

  public long refused() {
    return refused.get();
  }

  public long timedOut() {
    return timedOut.get();
  }

  private void refuse(HttpConnection connection) {
    refused.incrementAndGet();
    connection.close();
  }

  private void release(String source) {
    open.decrementAndGet();
    perSource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** The address a cap counts against: IPv4 as is, IPv6 by its /64 (one subscriber's whole prefix). */
  static String sourceOf(SocketAddress address) {
    String host = address == null ? null : address.hostAddress();
    if (host == null || host.indexOf(':') < 0) {
      return String.valueOf(host);
    }
    try {
      byte[] bytes = InetAddress.getByName(host).getAddress(); // a literal: no lookup
      if (bytes.length != 16) {
        return host;
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
      }
      return prefix.append(":/64").toString();
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
