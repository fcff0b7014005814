package org.kinlink.gateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few Lettuce command connections (standalone or cluster), shared by every verticle, with
 * results hopped back onto the caller's Vert.x context.
 *
 * <p>Why more than one: with {@code appendfsync always} Redis reads at most 16 KB from each
 * connection per turn of its event loop and fsyncs once per turn. Through one connection a busy
 * node could send only 16 KB per fsync, and when an fsync took tens of milliseconds the node's
 * writes queued behind each other. Spread over {@link #COMMAND_LANES} connections,
 * one fsync covers what all of them sent. Order is kept where callers rely on it: a script goes
 * down the lane of its first key, so scripts on one key run in the order they were sent; a plain
 * command goes down its thread's lane, so plain commands one event loop sends arrive in the order
 * sent. A plain command and a script sent together without waiting may arrive in either order:
 * code that needs one after the other waits for the first's answer.
 *
 * <p>Configured as a careful operator would: every command has a timeout; while disconnected,
 * commands are rejected at once (the API answers 503) instead of queueing without bound; after a
 * reconnect only read commands are replayed, so a write that may already have reached Redis is
 * failed back to its caller (who retries with an idempotency key) rather than applied twice.
 */
public final class Redis implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Redis.class);

  /** Commands safe to send again after a reconnect: they change nothing. */
  private static final Set<CommandType> REPLAYABLE = EnumSet.of(
      CommandType.GET, CommandType.MGET, CommandType.EXISTS, CommandType.HGET, CommandType.HGETALL,
      CommandType.HMGET, CommandType.HEXISTS, CommandType.HLEN, CommandType.HKEYS, CommandType.HVALS,
      CommandType.SMEMBERS, CommandType.SISMEMBER, CommandType.SCARD, CommandType.ZRANGE,
      CommandType.ZRANGEBYSCORE, CommandType.ZREVRANGE, CommandType.ZREVRANGEBYSCORE, CommandType.ZSCORE,
      CommandType.ZCARD, CommandType.LRANGE, CommandType.LLEN, CommandType.LINDEX, CommandType.XRANGE,
      CommandType.XREVRANGE, CommandType.XLEN, CommandType.TTL, CommandType.PTTL, CommandType.PING,
      CommandType.SCAN, CommandType.TYPE, CommandType.STRLEN);

  /** Command connections; see the class comment for why there are several and how a command picks one. */
  static final int COMMAND_LANES = 8;

  private final ClientResources resources;
  private final AutoCloseable client;
  private final List<? extends StatefulConnection<String, String>> connections;
  private final List<RedisClusterAsyncCommands<String, String>> lanes;
  private final AtomicInteger nextThreadLane = new AtomicInteger();
  private final ThreadLocal<Integer> threadLane;
  private final StatefulConnection<String, String> pubSubConnection;
  private final RedisPubSubAsyncCommands<String, String> pubSubCommands;
  private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
  private final Map<String, String> scriptShas = new ConcurrentHashMap<>();
  /** Keys as text, values as raw bytes: recording chunks, which base64 would make a third larger. */
  private final StatefulConnection<String, byte[]> binaryConnection;
  private final RedisClusterAsyncCommands<String, byte[]> binaryCommands;

  /** String keys, byte[] values. */
  static final RedisCodec<String, byte[]> BINARY = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private Redis(ClientResources resources, AutoCloseable client, List<? extends StatefulConnection<String, String>> connections,
      List<RedisClusterAsyncCommands<String, String>> lanes, StatefulConnection<String, String> pubSubConnection,
      RedisPubSubAsyncCommands<String, String> pubSubCommands, StatefulConnection<String, byte[]> binaryConnection,
      RedisClusterAsyncCommands<String, byte[]> binaryCommands) {
    this.resources = resources;
    this.client = client;
    this.connections = List.copyOf(connections);
    this.lanes = List.copyOf(lanes);
    this.threadLane = ThreadLocal.withInitial(() -> Math.floorMod(nextThreadLane.getAndIncrement(), this.lanes.size()));
    this.pubSubConnection = pubSubConnection;
    this.pubSubCommands = pubSubCommands;
    this.binaryConnection = binaryConnection;
    this.binaryCommands = binaryCommands;
  }

  /**
   * Connects to {@code redis://}, {@code rediss://} or {@code redis-cluster://h1:p1,h2:p2}
   * ({@code rediss-cluster://} for TLS). Blocking: call before the event loops serve traffic.
   */
  public static Redis connect(String url, Duration commandTimeout) {
    ClientResources resources = DefaultClientResources.builder().build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
    SocketOptions socket = SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build();
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://")) {
      List<RedisURI> seeds = clusterSeeds(url);
      RedisClusterClient client = RedisClusterClient.create(resources, seeds);
      ClusterClientOptions.Builder options = ClusterClientOptions.builder()
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enableAllAdaptiveRefreshTriggers()
              .enablePeriodicRefresh(Duration.ofSeconds(30))
              .build());
      options.timeoutOptions(timeouts)
          .socketOptions(socket)
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .replayFilter(Redis::mustNotReplay);
      client.setOptions(options.build());
      List<StatefulRedisClusterConnection<String, String>> connections = new ArrayList<>();
      for (int i = 0; i < COMMAND_LANES; i++) {
        connections.add(client.connect());
      }
      StatefulRedisClusterPubSubConnection<String, String> pubSub = client.connectPubSub();
      var binary = client.connect(BINARY);
      Redis redis = new Redis(resources, client::shutdown, connections,
          connections.stream().map(c -> (RedisClusterAsyncCommands<String, String>) c.async()).toList(),
          pubSub, pubSub.async(), binary, binary.async());
      pubSub.addListener(redis.listener());
      return redis;
    }
    RedisClient client = RedisClient.create(resources, RedisURI.create(url));
    client.setOptions(ClientOptions.builder()
        .timeoutOptions(timeouts)
        .socketOptions(socket)
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .replayFilter(Redis::mustNotReplay)
        .build());
    List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    for (int i = 0; i < COMMAND_LANES; i++) {
      connections.add(client.connect());
    }
    StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
    var binary = client.connect(BINARY);
    Redis redis = new Redis(resources, client::shutdown, connections,
        connections.stream().map(c -> (RedisClusterAsyncCommands<String, String>) c.async()).toList(),
        pubSub, pubSub.async(), binary, binary.async());
    pubSub.addListener(redis.listener());
    return redis;
  }

  private static boolean mustNotReplay(RedisCommand<?, ?, ?> command) {
    return !(command.getType() instanceof CommandType type && REPLAYABLE.contains(type));
  }

  private static List<RedisURI> clusterSeeds(String url) {
    boolean tls = url.toLowerCase(Locale.ROOT).startsWith("rediss-cluster://");
    String rest = url.substring(url.indexOf("://") + 3);
    String auth = "";
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      auth = rest.substring(0, at + 1);
      rest = rest.substring(at + 1);
    }
    List<RedisURI> seeds = new ArrayList<>();
    for (String hostPort : rest.split(",")) {
      seeds.add(RedisURI.create((tls ? "rediss://" : "redis://") + auth + hostPort.trim()));
    }
    return seeds;
  }

  private RedisPubSubAdapter<String, String> listener() {
    return new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        for (Consumer<String> c : subscribers.getOrDefault(channel, List.of())) {
          try {
            c.accept(message);
          } catch (RuntimeException e) {
            log.error("subscriber of {} failed", channel, e);
          }
        }
      }
    };
  }

  /**
   * Runs one command on the calling thread's lane; the future completes on the caller's Vert.x
   * context (if any) and fails with {@link StoreUnavailableException} when Redis cannot answer.
   */
  public <T> Future<T> call(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> op) {
    return callOn(lanes.get(threadLane.get()), op);
  }

  /**
   * {@link #call} on the lane of {@code key}, the one its scripts run on: for a command that must
   * follow them on the same connection (WAITAOF covers only what its own connection wrote).
   */
  public <T> Future<T> callBesideKey(String key, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> op) {
    return callOn(laneOf(key), op);
  }

  /** The lane of {@code key}: by its cluster hash slot, so keys sharing a {@code {tag}} share a lane. */
  private RedisClusterAsyncCommands<String, String> laneOf(String key) {
    return lanes.get(SlotHash.getSlot(key) % lanes.size());
  }

  /** {@link #call} with byte[] values (keys stay text): binary data stored as it is. */
  public <T> Future<T> binary(Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> op) {
    return callOn(binaryCommands, op);
  }

  private <T, V> Future<T> callOn(RedisClusterAsyncCommands<String, V> on, Function<RedisClusterAsyncCommands<String, V>, RedisFuture<T>> op) {
    CompletableFuture<T> cf;
    try {
      cf = op.apply(on).toCompletableFuture();
    } catch (RedisException e) {
      return Future.failedFuture(map(e));
    }
    return onContext(cf);
  }

  /** Runs a Lua script by SHA, loading it on the first NOSCRIPT. */
  public <T> Future<T> eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
    return evalOn(keys.length == 0 ? lanes.get(threadLane.get()) : laneOf(keys[0]), script, type, keys, args);
  }

  /** {@link #eval} with byte[] arguments (and bulk replies as byte[]), for scripts that store binary data. */
  public <T> Future<T> evalBinary(LuaScript script, ScriptOutputType type, String[] keys, byte[]... args) {
    return evalOn(binaryCommands, script, type, keys, args);
  }

  @SafeVarargs
  private <T, V> Future<T> evalOn(RedisClusterAsyncCommands<String, V> on, LuaScript script, ScriptOutputType type,
      String[] keys, V... args) {
    String sha = scriptShas.computeIfAbsent(script.source(), s -> script.sha1());
    CompletableFuture<T> cf = on.<T>evalsha(sha, type, keys, args).toCompletableFuture()
        .exceptionallyCompose(e -> {
          Throwable cause = e instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e;
          if (cause instanceof RedisNoScriptException
              || (cause instanceof RedisCommandExecutionException rce && String.valueOf(rce.getMessage()).startsWith("NOSCRIPT"))) {
            return on.<T>eval(script.source(), type, keys, args).toCompletableFuture();
          }
          return CompletableFuture.failedFuture(cause);
        });
    return onContext(cf);
  }

  private <T> Future<T> onContext(CompletableFuture<T> cf) {
    Context ctx = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    cf.whenComplete((value, error) -> {
      Runnable complete = () -> {
        if (error == null) {
          promise.complete(value);
        } else {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          promise.fail(map(cause));
        }
      };
      if (ctx == null) {
        complete.run();
      } else {
        ctx.runOnContext(v -> complete.run());
      }
    });
    return promise.future();
  }

  private static Throwable map(Throwable e) {
    if (e instanceof RedisCommandExecutionException) {
      return e; // Redis answered with an error: a bug or a script's refusal, not an outage
    }
    if (e instanceof RedisException || e instanceof java.util.concurrent.CancellationException
        || e instanceof java.io.IOException) {
      return new StoreUnavailableException("the data store is not answering", e);
    }
    return e;
  }

  /** Publishes to a channel every gateway node listens to. */
  public Future<Long> publish(String channel, String message) {
    return call(c -> c.publish(channel, message));
  }

  /** Listens to a channel; the consumer runs on a Lettuce thread, so hop to a context before touching Vert.x state. */
  public Future<Void> subscribe(String channel, Consumer<String> consumer) {
    boolean first = subscribers.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).isEmpty();
    subscribers.get(channel).add(consumer);
    if (!first) {
      return Future.succeededFuture();
    }
    return onContext(pubSubCommands.subscribe(channel).toCompletableFuture()).mapEmpty();
  }

  /** True when Redis answers PING. */
  public Future<Boolean> ping() {
    return call(RedisClusterAsyncCommands::ping).map("PONG"::equals).otherwise(false);
  }

  public boolean isOpen() {
    return connections.stream().allMatch(StatefulConnection::isOpen);
  }

  @Override
  public void close() {
    try {
      pubSubConnection.close();
      binaryConnection.close();
      connections.forEach(StatefulConnection::close);
      client.close();
    } catch (Exception e) {
      log.warn("closing Redis client", e);
    }
    resources.shutdown();
  }
}
