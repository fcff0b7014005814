package org.kinlink.gateway.realtime;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kinlink.gateway.identity.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated socket. Writes never queue without bound: when the socket's write queue is
 * over its limit (a client that stopped reading), the socket is closed instead, and the client
 * catches up with {@code after=} when it reconnects.
 */
public final class Client {
  private static final Logger log = LoggerFactory.getLogger(Client.class);
  /** Close code for a client that does not read fast enough (4000-4999: application codes). */
  public static final short TOO_SLOW = 4008;
  /** Close code for a session that was revoked. */
  public static final short REVOKED = 4001;

  private final ServerWebSocket socket;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Principal principal;
  private final java.util.List<Runnable> closeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  Client(ServerWebSocket socket) {
    this.socket = socket;
  }

  /** Who signed in on this socket (null before the auth frame). */
  public Principal principal() {
    return principal;
  }

  void principal(Principal p) {
    this.principal = p;
  }

  /** Sends a frame; closes the socket instead when the client is not keeping up. */
  public void send(JsonObject frame) {
    // the peer may have gone a moment before this node ran the socket's close handler: writing then throws
    if (closed.get() || socket.isClosed()) {
      return;
    }
    if (socket.writeQueueFull()) {
      log.info("closing a socket whose client does not read (queue over its limit)");
      close(TOO_SLOW, "too slow");
      return;
    }
    socket.writeTextMessage(frame.encode());
  }

  /** A WebSocket ping control frame (the browser answers it; nothing reaches the page). */
  void ping() {
    if (!closed.get() && !socket.isClosed() && !socket.writeQueueFull()) {
      socket.writePing(io.vertx.core.buffer.Buffer.buffer());
    }
  }

  public boolean isOpen() {
    return !closed.get();
  }

  void close(short code, String reason) {
    if (closed.compareAndSet(false, true)) {
      socket.close(code, reason);
    }
  }

  void markClosed() {
    closed.set(true);
    closeListeners.forEach(Runnable::run);
  }

  /** Runs {@code listener} once the socket has closed (capabilities forget what they kept for it, e.g. a call's presence). */
  public void onClose(Runnable listener) {
    closeListeners.add(listener);
    if (closed.get() && closeListeners.remove(listener)) {
      listener.run();
    }
  }
}
