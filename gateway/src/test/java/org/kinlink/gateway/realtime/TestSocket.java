package org.kinlink.gateway.realtime;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.kinlink.gateway.Gateway;

/** A real WebSocket client of {@code /ws} that keeps every frame it receives, for tests. */
public final class TestSocket implements AutoCloseable {
  private final WebSocketClient client;
  private final WebSocket socket;
  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  public final CompletableFuture<Short> closed = new CompletableFuture<>();

  private TestSocket(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(t -> frames.add(new JsonObject(t)));
    socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
  }

  public static TestSocket open(Vertx vertx, Gateway gateway) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = Gateway.await(client.connect(gateway.port(), "127.0.0.1", "/ws"));
    return new TestSocket(client, ws);
  }

  /** Opens a socket and signs it in; fails unless the hub answers ready. */
  public static TestSocket signedIn(Vertx vertx, Gateway gateway, String token) {
    TestSocket s = open(vertx, gateway);
    s.send(new JsonObject().put("type", "auth").put("access_token", token));
    s.next(f -> "ready".equals(f.getString("type")));
    return s;
  }

  public void send(JsonObject frame) {
    Gateway.await(socket.writeTextMessage(frame.encode()));
  }

  public void sendText(String text) {
    Gateway.await(socket.writeTextMessage(text));
  }

  /** The next frame that matches, skipping others; fails after 10 s. */
  public JsonObject next(Predicate<JsonObject> wanted) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (true) {
        long left = end - System.nanoTime();
        JsonObject f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
        if (f == null) {
          throw new AssertionError("no matching frame within 10 s");
        }
        if (wanted.test(f)) {
          return f;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A frame already received, or null: no waiting. */
  public JsonObject poll() {
    return frames.poll();
  }

  public JsonObject next(String type) {
    return next(f -> type.equals(f.getString("type")));
  }

  /** The close code, waiting up to 10 s for the server to close. */
  public short awaitClosed() {
    try {
      return closed.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket was not closed", e);
    }
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.close();
    }
    client.close();
  }
}
