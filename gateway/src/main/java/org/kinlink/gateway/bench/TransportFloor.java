package org.kinlink.gateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.kinlink.gateway.Gateway;

/**
 * What the same number of WebSockets carry on this machine when nothing else happens: a bare
 * Vert.x server with the node's verticle count answers each {@code message.send} frame as the
 * gateway's frames go (the sender gets {@code message.sent} and then {@code message.status}, the
 * paired socket {@code message.new}, each a JSON object carrying the body), with no policy, store,
 * audit or encryption. The closed-loop rate it reaches is the ceiling the transport alone sets for
 * the end-to-end figure, measured in the same run beside {@code redis-benchmark}'s.
 */
final class TransportFloor {
  private TransportFloor() {}

  /** The bare server: one instance per verticle on one port, sockets paired by the number in their hello frame. */
  private static final class Echo extends VerticleBase {
    private final ConcurrentHashMap<Integer, ServerWebSocket> recipients;
    private final int port;
    private HttpServer server;

    Echo(ConcurrentHashMap<Integer, ServerWebSocket> recipients, int port) {
      this.recipients = recipients;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      server = vertx.createHttpServer().webSocketHandler(this::accept);
      return server.listen(port, "127.0.0.1"); // the verticles share the port, as the gateway's do
    }

    private void accept(ServerWebSocket ws) {
      ws.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        if ("hello".equals(frame.getString("type"))) {
          if (!frame.getBoolean("sender")) {
            recipients.put(frame.getInteger("pair"), ws);
          }
          ws.writeTextMessage("{\"type\":\"ready\"}");
          return;
        }
        JsonObject message = new JsonObject().put("id", "msg.bench." + frame.getValue("ref")).put("status", "SENT")
            .put("from", new JsonObject().put("id", "pr-bench").put("name", "Bench Prisoner").put("kind", "PRISONER"))
            .put("body", frame.getString("body"));
        ws.writeTextMessage(new JsonObject().put("type", "message.sent").put("ref", frame.getValue("ref"))
            .put("message", message).encode());
        ServerWebSocket to = recipients.get(frame.getInteger("pair"));
        if (to != null) {
          to.writeTextMessage(new JsonObject().put("type", "message.new").put("message", message).encode());
        }
        ws.writeTextMessage(new JsonObject().put("type", "message.status").put("message", message.copy().put("status", "DELIVERED"))
            .encode());
      });
    }
  }

  /**
   * Connects {@code pairs} sender/recipient sockets through {@code sources} and keeps one message in
   * flight per sender for {@code nanos}: the delivered rate and its latencies.
   */
  static JsonObject measure(Vertx vertx, WebSocketClient[] sources, int perSource, int verticles, int pairs, String padding,
      long nanos) throws InterruptedException {
    ConcurrentHashMap<Integer, ServerWebSocket> recipients = new ConcurrentHashMap<>();
    int port = freePort();
    List<String> deployments = new ArrayList<>();
    for (int i = 0; i < verticles; i++) {
      deployments.add(Gateway.await(vertx.deployVerticle(new Echo(recipients, port))));
    }
    WebSocket[] senders = new WebSocket[pairs];
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
    AtomicLong seq = new AtomicLong();
    AtomicLong end = new AtomicLong(Long.MAX_VALUE); // set when the timed loop starts
    try {
      List<Future<WebSocket>> opened = new ArrayList<>();
      for (int n = 0; n < pairs * 2; n++) {
        int socket = n;
        int pair = n % pairs; // senders first, then recipients, as the end-to-end bench connects
        boolean sender = n < pairs;
        opened.add(sources[socket / perSource].connect(port, "127.0.0.1", "/floor").compose(ws -> {
          Promise<WebSocket> ready = Promise.promise();
          ws.textMessageHandler(text -> {
            if (!ready.future().isComplete()) {
              ready.complete(ws);
              return;
            }
            if (sender || !text.startsWith("{\"type\":\"message.new\"")) {
              return; // acks and receipts, unread as the end-to-end bench leaves them
            }
            int at = text.indexOf("msg.bench.") + "msg.bench.".length();
            long s = Long.parseLong(text.substring(at, text.indexOf('"', at)));
            Long started = sentAt.remove(s);
            if (started != null) {
              latencies.add(System.nanoTime() - started);
              if (System.nanoTime() < end.get()) {
                send(senders[pair], pair, seq, sentAt, padding);
              }
            }
          });
          if (sender) {
            senders[pair] = ws;
          }
          ws.writeTextMessage(new JsonObject().put("type", "hello").put("pair", pair).put("sender", sender).encode());
          return ready.future();
        }));
        if (opened.size() % 64 == 0) {
          Gateway.await(Future.all(opened.subList(opened.size() - 64, opened.size())));
        }
      }
      Gateway.await(Future.all(opened));
      long start = System.nanoTime();
      end.set(start + nanos);
      vertx.runOnContext(v -> {
        for (int i = 0; i < pairs; i++) {
          send(senders[i], i, seq, sentAt, padding);
        }
      });
      TimeUnit.NANOSECONDS.sleep(nanos);
      long elapsed = System.nanoTime() - start;
      int delivered = latencies.size();
      long[] values = MessagesBench.toArray(latencies, delivered);
      opened.forEach(f -> f.result().close());
      return LatencySummary.of("transport-floor", values, delivered, 0, pairs, elapsed)
          .put("messages_per_s", Math.round(delivered * 1e10 / elapsed) / 10.0);
    } finally {
      for (String id : deployments) {
        Gateway.await(vertx.undeploy(id));
      }
    }
  }

  /** A loopback port free right now (the verticles must all be given the same number to share it). */
  private static int freePort() {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void send(WebSocket ws, int pair, AtomicLong seq, ConcurrentHashMap<Long, Long> sentAt, String padding) {
    long s = seq.incrementAndGet();
    sentAt.put(s, System.nanoTime());
    ws.writeTextMessage(new JsonObject().put("type", "message.send").put("ref", s).put("pair", pair)
        .put("client_id", "bench-" + s).put("body", padding).encode());
  }
}
