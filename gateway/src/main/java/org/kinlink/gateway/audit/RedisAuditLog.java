package org.kinlink.gateway.audit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit chain in Redis. Entries are linked in Java (Lua in Redis 6.2 has no SHA-256) and
 * written by {@code audit-append.lua}, which compares-and-sets the chain head so that appenders
 * on several nodes never fork it: a node that loses the race relinks its entries onto the head
 * the script returned and tries again.
 *
 * <p>Within a node, appends are serialised through one queue and written in batches (up to
 * {@value #MAX_BATCH} entries per script call): callers arriving while a write is in flight ride
 * on the next one, which both avoids pointless CAS conflicts between this node's own callers and
 * lets one AOF fsync cover many entries.
 *
 * <p>Durability: {@link #append} completes after the script's reply, and Redis with
 * {@code appendonly yes} and {@code appendfsync always} (as the embedded Redis runs) fsyncs the
 * AOF before it replies. {@link AuditDurability} covers an external Redis configured otherwise.
 * With checkpoints, each batch's new head is also signed into the node's {@link AuditHeadFile}
 * before the batch is acknowledged, so no acknowledged entry waits for the next checkpoint to be covered.
 *
 * <p>An event that records an outbox change ({@link AuditEvent#changeId()}) is appended at most once:
 * completing it again answers the entry already on the chain.
 */
public final class RedisAuditLog implements AuditLog {
  private static final Logger log = LoggerFactory.getLogger(RedisAuditLog.class);
  static final int MAX_BATCH = 256;
  private static final int MAX_ATTEMPTS = 100;

  private final Redis redis;
  private final String ns;
  private final Clock clock;
  private final AuditAppendScript append;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();
  private volatile AuditDurability durability = AuditDurability.FSYNC_BY_SERVER;
  private volatile LongConsumer onAppended = seq -> {};
  private AuditCheckpointer checkpointer;
  private HeadPins pins;
  /** The last head this node saw; null when unknown (at start, after an error). Only the writer touches it. */
  private volatile Head head;

  private record Pending(AuditEvent event, Promise<AuditEntry> promise, Context context) {}

  private record Head(long seq, String hash, long atMillis) {}

  /**
   * @param namespace key prefix with its hash tag, {@link Keys#AUDIT} in production
   */
  public RedisAuditLog(Redis redis, String namespace, Clock clock) {
    this.redis = redis;
    this.ns = namespace;
    this.clock = clock;
    this.append = new AuditAppendScript(redis, namespace);
  }

  /** The key namespace of this chain. */
  public String namespace() {
    return ns;
  }

  /** Sets how durability is ensured beyond the script's reply (see {@link AuditDurability}). */
  public void durability(AuditDurability durability) {
    this.durability = durability;
  }

  /** Registers who hears the head seq after each durable batch. */
  void onAppended(LongConsumer listener) {
    this.onAppended = listener;
  }

  /**
   * The log a gateway node runs: the production namespace, checkpoints signed with the node's key
   * from {@code <data-dir>/audit/signing.key} (created on first start; blocking, so call it before
   * the event loops serve traffic) and kept in {@code <data-dir>/audit/checkpoint.json}.
   */
  public static RedisAuditLog forNode(Vertx vertx, Redis redis, GatewayConfig config, Clock clock) {
    Path dir = config.dataDir().resolve("audit");
    AuditSigningKey key = AuditSigningKey.loadOrCreate(dir.resolve("signing.key"));
    RedisAuditLog log = new RedisAuditLog(redis, Keys.AUDIT, clock);
    return log.withCheckpoints(new AuditCheckpointer(vertx, redis, Keys.AUDIT, key, AuditCheckpointFile.inDataDir(config.dataDir()),
        clock, config.auditCheckpointEvery(), config.auditCheckpointInterval()));
  }

  /** Signs checkpoints with {@code checkpointer} as entries are appended. */
  public RedisAuditLog withCheckpoints(AuditCheckpointer checkpointer) {
    this.checkpointer = checkpointer;
    this.pins = new HeadPins(checkpointer::pin);
    onAppended(checkpointer::appended);
    return this;
  }

  /** The checkpointer, when this log signs checkpoints. */
  public Optional<AuditCheckpointer> checkpointer() {
    return Optional.ofNullable(checkpointer);
  }

  /** Picks how appends are made durable ({@link AuditDurability#detect}) and starts checkpointing. */
  public Future<Void> start(Duration redisTimeout) {
    return AuditDurability.detect(redis, redisTimeout)
        .compose(d -> {
          durability = d;
          return checkpointer == null ? Future.<Void>succeededFuture() : checkpointer.start();
        });
  }

  /** Signs a last checkpoint over what was appended since the previous one. */
  public Future<Void> stop() {
    return checkpointer == null ? Future.succeededFuture() : checkpointer.stop();
  }

  /** Reads this chain's entries. */
  public AuditReader reader() {
    return new AuditReader(redis, ns);
  }

  /** A verifier of this chain, trusting this node's checkpoint file and key when it has them. */
  public Future<AuditVerification> verify(Vertx vertx) {
    return new AuditVerifier(redis, ns, vertx).verify(checkpointer().map(AuditCheckpointer::file),
        checkpointer().map(AuditCheckpointer::key));
  }

  @Override
  public Future<AuditEntry> append(AuditEvent event) {
    Promise<AuditEntry> promise = Promise.promise();
    queue.add(new Pending(event, promise, Vertx.currentContext()));
    writeNext();
    return promise.future();
  }

  /** Starts a batch write unless one is in flight; the one in flight starts the next when done. */
  private void writeNext() {
    if (!writing.compareAndSet(false, true)) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    Pending p;
    while (batch.size() < MAX_BATCH && (p = queue.poll()) != null) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      writing.set(false);
      // a caller may have queued after the poll and before the flag was cleared
      if (!queue.isEmpty()) {
        writeNext();
      }
      return;
    }
    List<AuditEvent> events = batch.stream().map(Pending::event).toList();
    write(events, 1).onComplete(ar -> {
      // Redis has the batch: the next one may go while this one's head is pinned
      Head covered = head;
      writing.set(false);
      writeNext();
      if (ar.failed()) {
        answer(batch, ar.cause(), null);
        return;
      }
      List<AuditEntry> written = ar.result();
      Future<Void> pinned = pins == null || covered == null || covered.seq() == 0 ? Future.succeededFuture()
          : pins.cover(covered.seq(), covered.hash(), covered.atMillis());
      pinned.onComplete(pin -> answer(batch, pin.cause(), written));
      try {
        onAppended.accept(written.get(written.size() - 1).seq());
      } catch (RuntimeException e) {
        log.error("audit checkpoint trigger failed", e);
      }
    });
  }

  private static void answer(List<Pending> batch, Throwable failure, List<AuditEntry> written) {
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      Runnable complete = failure == null ? completer(pending.promise(), written.get(i)) : failer(pending.promise(), failure);
      if (pending.context() == null) {
        complete.run();
      } else {
        pending.context().runOnContext(v -> complete.run());
      }
    }
  }

  private static Runnable completer(Promise<AuditEntry> promise, AuditEntry entry) {
    return () -> promise.complete(entry);
  }

  private static Runnable failer(Promise<AuditEntry> promise, Throwable cause) {
    return () -> promise.fail(cause);
  }

  private Future<List<AuditEntry>> write(List<AuditEvent> events, int attempt) {
    // one entry per change even when it is completed twice at once (by its writer and a client's retry)
    Map<String, Integer> firstOf = new HashMap<>();
    List<AuditEvent> unique = new ArrayList<>();
    int[] slot = new int[events.size()];
    for (int i = 0; i < events.size(); i++) {
      AuditEvent e = events.get(i);
      Integer first = e.changeId() == null ? null : firstOf.get(e.changeId());
      if (first == null) {
        first = unique.size();
        unique.add(e);
        if (e.changeId() != null) {
          firstOf.put(e.changeId(), first);
        }
      }
      slot[i] = first;
    }
    return writeUnique(unique, attempt).map(written -> {
      List<AuditEntry> all = new ArrayList<>(events.size());
      for (int s : slot) {
        all.add(written.get(s));
      }
      return all;
    });
  }

  private Future<List<AuditEntry>> writeUnique(List<AuditEvent> events, int attempt) {
    Head known = head;
    Future<Head> current = known != null ? Future.succeededFuture(known) : readHead();
    return current.compose(h -> {
      if (events.isEmpty()) {
        // everything was on the chain already; the head pinned after the batch covers those entries
        head = h;
        return Future.succeededFuture(List.<AuditEntry>of());
      }
      List<AuditEntry> entries = link(h, events);
      return append.run(new AuditAppendScript.Head(h.seq(), h.hash(), h.atMillis()), entries, this::indexesOf)
          .compose(reply -> switch (reply) {
            case AuditAppendScript.Reply.Written w -> {
              head = new Head(w.head().seq(), w.head().hash(), w.head().atMillis());
              yield durability.confirm(redis, Keys.auditHead(ns)).map(entries);
            }
            case AuditAppendScript.Reply.Conflict c -> {
              head = new Head(c.head().seq(), c.head().hash(), c.head().atMillis());
              if (attempt >= MAX_ATTEMPTS) {
                yield Future.failedFuture(new IllegalStateException(
                    "audit append lost the race for the chain head " + attempt + " times"));
              }
              yield writeUnique(events, attempt + 1);
            }
            case AuditAppendScript.Reply.AlreadyApplied a -> alreadyApplied(events, a.seqs(), attempt);
          });
    }).onFailure(e -> head = null); // the write may or may not have landed: learn the head again
  }

  /** Answers the entries already on the chain with what is stored, and appends the rest. */
  private Future<List<AuditEntry>> alreadyApplied(List<AuditEvent> events, Map<String, Long> seqs, int attempt) {
    log.info("{} change(s) completed again from an outbox are on the audit chain already; not appended twice", seqs.size());
    String[] fields = seqs.values().stream().map(String::valueOf).toArray(String[]::new);
    return redis.call(c -> c.hmget(Keys.auditEntries(ns), fields)).compose(stored -> {
      Map<String, AuditEntry> found = new HashMap<>();
      for (var kv : stored) {
        AuditEntry entry = AuditCodec.decode(kv.getValue());
        found.put(entry.event().changeId(), entry);
      }
      List<AuditEvent> rest = events.stream().filter(e -> e.changeId() == null || !found.containsKey(e.changeId())).toList();
      return writeUnique(rest, attempt + 1).map(written -> {
        List<AuditEntry> all = new ArrayList<>(events.size());
        int next = 0;
        for (AuditEvent e : events) {
          AuditEntry earlier = e.changeId() == null ? null : found.get(e.changeId());
          all.add(earlier != null ? earlier : written.get(next++));
        }
        return all;
      });
    });
  }

  private List<AuditEntry> link(Head h, List<AuditEvent> events) {
    // times never go backwards along the chain, so the time index maps a time range to a seq range
    Instant at = Instant.ofEpochMilli(Math.max(clock.millis(), h.atMillis()));
    List<AuditEntry> entries = new ArrayList<>(events.size());
    String prev = h.hash();
    long seq = h.seq();
    for (AuditEvent event : events) {
      AuditEntry entry = AuditCodec.link(++seq, at, event, prev);
      entries.add(entry);
      prev = entry.hash();
    }
    return entries;
  }

  private Future<Head> readHead() {
    return redis.call(c -> c.hmget(Keys.auditHead(ns), "seq", "hash", "at")).map(values -> {
      String seq = values.get(0).getValueOrElse("0");
      String hash = values.get(1).getValueOrElse(ChainHash.GENESIS);
      String at = values.get(2).getValueOrElse("0");
      return new Head(Long.parseLong(seq), hash, Long.parseLong(at));
    });
  }

  private List<String> indexesOf(AuditEntry entry) {
    List<String> keys = new ArrayList<>();
    for (String est : AuditCodec.establishments(entry.event())) {
      keys.add(Keys.auditByEstablishment(ns, est));
    }
    if (entry.event().prisonerId() != null) {
      keys.add(Keys.auditByPrisoner(ns, entry.event().prisonerId()));
    }
    if (entry.event().contactId() != null) {
      keys.add(Keys.auditByContact(ns, entry.event().contactId()));
    }
    return keys;
  }

}
