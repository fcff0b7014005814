package org.kinlink.gateway.realtime;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket hub of one node ({@code /ws}): one socket per signed-in client, frames dispatched
 * by type to registered {@link FrameHandler}s after their schema passed, and events carried to
 * whichever node holds a recipient's socket over Redis pub/sub ({@link Keys#REALTIME_CHANNEL}).
 *
 * <p>The first frame must be {@code {"type":"auth","access_token":...}} (a token never goes in the
 * URL, where it would be logged); until then other frames get an error. A session revoked on any
 * node closes its sockets here at once. A bad frame gets {@code {"type":"error",...}} and the socket
 * stays open.
 */
public final class Realtime {
  private static final Logger log = LoggerFactory.getLogger(Realtime.class);
  /** The path clients connect to. */
  public static final String PATH = "/ws";
  /** Largest client frame accepted (a message body is at most 4,000 characters). */
  static final int MAX_FRAME_CHARS = 32 * 1024;

  private record Registered(FrameSchema schema, FrameHandler handler) {}

  private final Vertx vertx;
  private final Redis redis;
  private final Function<String, Future<Principal>> authenticate;
  private final Duration authTimeout;
  private final int maxQueuedBytes;
  private final Map<String, Registered> handlers = new ConcurrentHashMap<>();
  /** How this node's {@link #publishToOthers} events begin: {@code {"from":"<node id>",}. */
  private final String ownPrefix = "{\"from\":\"" + UUID.randomUUID() + "\",";
  private final Map<String, Set<Client>> byPerson = new ConcurrentHashMap<>();
  private final Map<String, Set<Client>> bySession = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<JsonObject>>> listeners = new ConcurrentHashMap<>();
  private volatile Context context;
  private final Duration keepAlive;
  private long keepAliveTimer = -1;

  /**
   * @param authenticate verifies an access token (signature, expiry, revocation) into its principal
   * @param maxQueuedBytes a socket whose unsent frames exceed this is closed
   * @param keepAlive how often every signed-in socket is sent a ping: browsers answer pings by
   *     themselves, so a quiet kiosk stays connected well inside the server's idle timeout
   */
  public Realtime(Vertx vertx, Redis redis, Function<String, Future<Principal>> authenticate, Duration authTimeout,
      int maxQueuedBytes, Duration keepAlive) {
    this.keepAlive = keepAlive;
    this.vertx = vertx;
    this.redis = redis;
    this.authenticate = authenticate;
    this.authTimeout = authTimeout;
    this.maxQueuedBytes = maxQueuedBytes;
    register("ping", new JsonObject().put("type", "object"), (c, f) -> Future.succeededFuture(new JsonObject().put("type", "pong")));
  }

  /**
   * Adds a client frame type. {@code schema} is a JSON Schema (2020-12) for the whole frame;
   * {@code type} is checked by the hub. Register before {@link #start}.
   */
  public void register(String type, JsonObject schema, FrameHandler handler) {
    if (handlers.putIfAbsent(type, new Registered(FrameSchema.compile(schema), handler)) != null) {
      throw new IllegalStateException("frame type " + type + " is registered twice");
    }
  }

  /** Listens for cross-node events and revocations. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    keepAliveTimer = vertx.setPeriodic(Math.max(1000, keepAlive.toMillis()),
        id -> bySession.values().forEach(set -> set.forEach(Client::ping)));
    return redis.subscribe(Keys.REALTIME_CHANNEL, this::onRedisEvent)
        .compose(v -> redis.subscribe(Keys.REVOCATIONS_CHANNEL, sid -> context.runOnContext(x -> revoked(sid))));
  }

  /** Closes every socket of this node (shutdown). */
  public void stop() {
    if (keepAliveTimer >= 0) {
      vertx.cancelTimer(keepAliveTimer);
    }
    bySession.values().forEach(set -> set.forEach(c -> c.close((short) 1001, "gateway stopping")));
  }

  /** Sends an event to every node's listeners of {@code topic} (this node's included). */
  public Future<Void> publish(String topic, JsonObject event) {
    return redis.publish(Keys.REALTIME_CHANNEL, new JsonObject().put("topic", topic).put("event", event).encode()).mapEmpty();
  }

  /**
   * Sends an event to the listeners of {@code topic} on every other node: for a change this node
   * has already handled itself. Its own copy, which comes back through Redis, is recognised by its
   * first characters and dropped unread.
   */
  public Future<Void> publishToOthers(String topic, JsonObject event) {
    return redis.publish(Keys.REALTIME_CHANNEL, ownPrefix + new JsonObject().put("topic", topic).put("event", event).encode()
        .substring(1)).mapEmpty();
  }

  /** Runs {@code listener} on this node for every event published on {@code topic} by any node. */
  public void onEvent(String topic, Consumer<JsonObject> listener) {
    listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /** This node's open sockets of a person ({@code pr-...} / {@code pe-...}). */
  public List<Client> clientsOf(String personId) {
    return List.copyOf(byPerson.getOrDefault(personId, Set.of()));
  }

  /** How many authenticated sockets this node holds. */
  public int connected() {
    return bySession.values().stream().mapToInt(Set::size).sum();
  }

  private void onRedisEvent(String payload) {
    if (payload.startsWith(ownPrefix)) {
      return;
    }
    JsonObject wrapped;
    try {
      wrapped = new JsonObject(payload);
    } catch (DecodeException e) {
      log.warn("ignoring a realtime event that is not JSON");
      return;
    }
    List<Consumer<JsonObject>> ls = listeners.getOrDefault(wrapped.getString("topic", ""), List.of());
    JsonObject event = wrapped.getJsonObject("event", new JsonObject());
    context.runOnContext(v -> ls.forEach(l -> {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        log.error("realtime listener failed", e);
      }
    }));
  }

  private void revoked(String sessionId) {
    Set<Client> clients = bySession.remove(sessionId);
    if (clients != null) {
      clients.forEach(c -> c.close(Client.REVOKED, "session ended"));
    }
  }

  /** Takes an upgraded socket: waits for its auth frame, then dispatches frames. */
  public void accept(ServerWebSocket ws) {
    ws.setWriteQueueMaxSize(maxQueuedBytes);
    Client client = new Client(ws);
    long timer = vertx.setTimer(authTimeout.toMillis(), t -> {
      if (client.principal() == null) {
        client.close((short) 4401, "no auth frame");
      }
    });
    ws.textMessageHandler(text -> onFrame(client, text));
    ws.binaryMessageHandler(b -> client.send(error(null, "BAD_FRAME", "Frames are JSON text.")));
    ws.exceptionHandler(e -> log.debug("socket error: {}", e.toString()));
    ws.closeHandler(v -> {
      vertx.cancelTimer(timer);
      client.markClosed();
      forget(client);
    });
  }

  private void onFrame(Client client, String text) {
    if (text.length() > MAX_FRAME_CHARS) {
      client.send(error(null, "FRAME_TOO_LARGE", "That frame is too large."));
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      client.send(error(null, "BAD_FRAME", "A frame is one JSON object with a \"type\"."));
      return;
    }
    Object ref = frame.getValue("ref");
    String type = frame.getValue("type") instanceof String s ? s : null;
    if (type == null) {
      client.send(error(ref, "BAD_FRAME", "A frame needs a \"type\"."));
      return;
    }
    if (type.equals("auth")) {
      onAuth(client, frame, ref);
      return;
    }
    if (client.principal() == null) {
      client.send(error(ref, "AUTH_REQUIRED", "Send {\"type\":\"auth\",\"access_token\":...} first."));
      return;
    }
    Registered r = handlers.get(type);
    if (r == null) {
      client.send(error(ref, "UNKNOWN_TYPE", "There is no frame type " + type + "."));
      return;
    }
    java.util.Optional<FrameSchema.Violation> wrong = r.schema().check(frame);
    if (wrong.isPresent()) {
      client.send(invalid(ref, type, wrong.get()));
      return;
    }
    Future<JsonObject> answer;
    try {
      answer = r.handler().handle(client, frame);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onSuccess(reply -> {
      if (reply != null) {
        if (ref != null) {
          reply.put("ref", ref);
        }
        client.send(reply);
      }
    }).onFailure(e -> client.send(failure(ref, e)));
  }

  /** The error frame for a frame that failed its schema, naming the field where it can. */
  private static JsonObject invalid(Object ref, String type, FrameSchema.Violation wrong) {
    String keyword = wrong.keyword();
    String field = wrong.field();
    String message = "required".equals(keyword) ? "This " + type + " frame needs " + field + "."
        : "additionalProperties".equals(keyword) ? "This " + type + " frame has a field it does not take: " + field + "."
        : "This " + type + " frame has a value that is not valid" + (field.isEmpty() ? "" : " in " + field)
            + (wrong.expected().isEmpty() ? "." : ": " + wrong.expected() + ".");
    JsonObject bad = error(ref, "BAD_FRAME", message);
    if (!field.isEmpty()) {
      bad.getJsonObject("error").put("field", field);
    }
    return bad;
  }

  private void onAuth(Client client, JsonObject frame, Object ref) {
    Object token = frame.getValue("access_token");
    if (!(token instanceof String s) || s.isBlank() || s.length() > 4096) {
      client.send(error(ref, "BAD_FRAME", "The auth frame needs an access_token."));
      return;
    }
    authenticate.apply(s).onSuccess(p -> {
      Principal before = client.principal();
      if (before != null && !before.accountId().equals(p.accountId())) {
        client.send(error(ref, "AUTH_MISMATCH", "This socket belongs to another account."));
        return;
      }
      if (!client.isOpen()) {
        return;
      }
      if (before != null) {
        forget(client);
      }
      client.principal(p);
      if (p.personId() != null) {
        byPerson.computeIfAbsent(p.personId(), k -> ConcurrentHashMap.newKeySet()).add(client);
      }
      bySession.computeIfAbsent(p.sessionId() == null ? "none" : p.sessionId(), k -> ConcurrentHashMap.newKeySet()).add(client);
      JsonObject ready = new JsonObject().put("type", "ready").put("role", p.role().name());
      if (ref != null) {
        ready.put("ref", ref);
      }
      client.send(ready);
    }).onFailure(e -> client.send(failure(ref, e)));
  }

  private void forget(Client client) {
    Principal p = client.principal();
    if (p == null) {
      return;
    }
    if (p.personId() != null) {
      byPerson.computeIfPresent(p.personId(), (k, set) -> {
        set.remove(client);
        return set.isEmpty() ? null : set;
      });
    }
    bySession.computeIfPresent(p.sessionId() == null ? "none" : p.sessionId(), (k, set) -> {
      set.remove(client);
      return set.isEmpty() ? null : set;
    });
  }

  private static JsonObject failure(Object ref, Throwable failure) {
    Throwable e = failure instanceof DomainException d ? ApiException.from(d)
        : failure instanceof StoreUnavailableException
            ? ApiException.unavailable("The data store is not answering; nothing was written. Try again shortly.") : failure;
    if (e instanceof ApiException api) {
      // the HTTP error object as it is (code, message, field, decision ...), plus the status it would have had
      JsonObject f = new JsonObject().put("type", "error").put("error", api.toJson().getJsonObject("error").copy()
          .put("status", api.status()));
      if (ref != null) {
        f.put("ref", ref);
      }
      return f;
    }
    String incident = UUID.randomUUID().toString();
    log.error("frame failed, incident {}", incident, e);
    return error(ref, "INTERNAL", "Something went wrong on our side (incident " + incident + "). Try again.");
  }

  /** An error frame: {@code {"type":"error","error":{code, message, field?}}}, the API's error shape. */
  static JsonObject error(Object ref, String code, String message) {
    JsonObject f = new JsonObject().put("type", "error").put("error", new JsonObject().put("code", code).put("message", message));
    if (ref != null) {
      f.put("ref", ref);
    }
    return f;
  }
}
