package org.kinlink.gateway.calls.recording;

import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator when this node's recordings dir is not the one the other nodes use. Every node
 * must read every recording, so they share one directory; a node given a directory of its own
 * stores recordings nobody else can play (they would play as gaps), and nothing else would say so.
 *
 * <p>Each node leaves a marker file named by a random id in {@code <recordings dir>/.nodes/} and
 * keeps that id in {@link Keys#RECORDINGS_DIR_NODES} with a heartbeat. Every {@link #HEARTBEAT}
 * it looks for the markers of the nodes heard from within {@link #LIVE_FOR}; a missing one is
 * logged and shown as advice on {@code /health/ready} (advice, not a failed check: the node itself
 * works, and a node that just started may not have written its marker yet). The heartbeat runs on
 * the wall clock: it is about processes, not about the domain's time.
 */
public final class SharedRecordingsDir {
  private static final Logger log = LoggerFactory.getLogger(SharedRecordingsDir.class);
  static final Duration HEARTBEAT = Duration.ofSeconds(20);
  static final Duration LIVE_FOR = Duration.ofSeconds(60);
  /** Markers of nodes not heard from for this long are removed (one is left behind by each crash). */
  static final Duration MARKER_KEPT = Duration.ofHours(1);
  private static final String MARKERS = ".nodes";

  private final Vertx vertx;
  private final Redis redis;
  private final ChunkFiles files;
  private final Clock wallClock;
  private final String nodeId = UUID.randomUUID().toString();
  private volatile List<String> unseen = List.of();
  private long timer = -1;

  public SharedRecordingsDir(Vertx vertx, Redis redis, ChunkFiles files, Clock wallClock) {
    this.vertx = vertx;
    this.redis = redis;
    this.files = files;
    this.wallClock = wallClock;
  }

  /** This node's id, as other nodes see it. */
  public String nodeId() {
    return nodeId;
  }

  /** Leaves this node's marker, announces it, and checks every {@link #HEARTBEAT}. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> check().onFailure(e -> log.warn("recordings dir check failed", e)));
    return check().mapEmpty();
  }

  /** Stops checking and takes this node out (best effort: a node that dies is forgotten after {@link #LIVE_FOR}). */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    Future<Long> forgotten = redis.call(c -> c.zrem(Keys.RECORDINGS_DIR_NODES, nodeId));
    Future<Boolean> unmarked = vertx.executeBlocking(() -> Files.deleteIfExists(files.dir().resolve(MARKERS).resolve(nodeId)), false);
    return Future.join(forgotten, unmarked).<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * One round: this node's marker and heartbeat, then the live nodes whose marker this node's
   * directory does not have (answered, and kept for {@link #advice}).
   */
  public Future<List<String>> check() {
    long now = wallClock.millis();
    return vertx.executeBlocking(() -> {
      Path mine = files.beside(MARKERS).resolve(nodeId);
      files.touch(mine);
      Files.setLastModifiedTime(mine, FileTime.fromMillis(now));
      return null;
    }, false)
        .compose(v -> redis.<Long>call(c -> c.zadd(Keys.RECORDINGS_DIR_NODES, (double) now, nodeId)))
        .compose(v -> redis.<Long>call(c -> c.zremrangebyscore(Keys.RECORDINGS_DIR_NODES,
            Range.create(Double.NEGATIVE_INFINITY, (double) (now - MARKER_KEPT.toMillis())))))
        .compose(v -> redis.<List<ScoredValue<String>>>call(c -> c.zrangeWithScores(Keys.RECORDINGS_DIR_NODES, 0, -1)))
        .compose(known -> vertx.executeBlocking(() -> missingAndPruned(known, now), false))
        .map(missing -> {
          if (!missing.equals(unseen) && !missing.isEmpty()) {
            log.error("{}", sentence(missing));
          }
          unseen = missing;
          return missing;
        });
  }

  /** A sentence for the operator while a live node's marker is missing here; null when there is nothing to say. */
  public Future<String> advice() {
    List<String> missing = unseen;
    return Future.succeededFuture(missing.isEmpty() ? null : sentence(missing));
  }

  private String sentence(List<String> missing) {
    return "the recordings dir " + files.dir() + " is not shared with " + missing.size() + " other running node(s) ("
        + String.join(", ", missing) + "): recordings stored on one node cannot be played on another; give every node "
        + "the same recordings-dir (a shared volume)";
  }

  /** The live nodes (heard from within {@link #LIVE_FOR}) whose marker is not here; old markers of nodes long gone are removed. */
  private List<String> missingAndPruned(List<ScoredValue<String>> known, long now) throws IOException {
    Path markers = files.beside(MARKERS);
    List<String> missing = new ArrayList<>();
    Set<String> recent = new HashSet<>();
    for (ScoredValue<String> node : known) {
      recent.add(node.getValue());
      boolean live = node.getScore() >= now - LIVE_FOR.toMillis();
      if (live && !node.getValue().equals(nodeId) && !Files.exists(markers.resolve(node.getValue()))) {
        missing.add(node.getValue());
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(markers)) {
      for (Path f : entries) {
        if (!recent.contains(f.getFileName().toString())
            && Files.getLastModifiedTime(f).toMillis() < now - MARKER_KEPT.toMillis()) {
          Files.deleteIfExists(f);
        }
      }
    }
    missing.sort(null);
    return missing;
  }
}
