package org.kinlink.gateway.contacts;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * This node's cached {@link PrisonerSnapshot}s (Caffeine, bounded). Correctness never rests on the
 * expiry: a change invalidates the copy on every node through {@link ContactEvents}, and callers that
 * decide pass the revision they just read from Redis so a copy that missed an invalidation is
 * reloaded at once ({@link #fresh}). The expire-after-write is only a safety net for memory.
 */
public final class PolicySnapshots {
  private final Redis redis;
  private final SnapshotScript snapshot;
  private final AsyncCache<String, PrisonerSnapshot> cache;
  private final Cache<String, String> owners;
  private final List<Consumer<PrisonerSnapshot>> loadListeners = new CopyOnWriteArrayList<>();

  public PolicySnapshots(Redis redis, long maximumPrisoners, Duration safetyNet) {
    this.redis = redis;
    this.snapshot = new SnapshotScript(redis);
    // run Caffeine's bookkeeping on the caller's thread: nothing here blocks
    this.cache = Caffeine.newBuilder().maximumSize(maximumPrisoners).expireAfterWrite(safetyNet)
        .executor(Runnable::run).buildAsync();
    this.owners = Caffeine.newBuilder().maximumSize(maximumPrisoners * 20).executor(Runnable::run).build();
  }

  /** Called with every snapshot this node loads from Redis. */
  void onLoad(Consumer<PrisonerSnapshot> listener) {
    loadListeners.add(listener);
  }

  /** The cached snapshot, loading it when absent. */
  public Future<PrisonerSnapshot> get(String prisonerId) {
    Context ctx = Vertx.currentContext();
    CompletableFuture<PrisonerSnapshot> cf = cache.get(prisonerId, (id, executor) -> loadInto(id));
    return ctx == null ? Future.fromCompletionStage(cf) : Future.fromCompletionStage(cf, ctx);
  }

  /**
   * The snapshot at {@code revision} or later: the cached one when it is that recent, otherwise a
   * reload (so a node that missed an invalidation still decides on the current policy).
   */
  public Future<PrisonerSnapshot> fresh(String prisonerId, long revision) {
    return get(prisonerId).compose(s -> {
      if (s.revision() >= revision) {
        return Future.succeededFuture(s);
      }
      invalidate(prisonerId);
      return get(prisonerId);
    });
  }

  /** The snapshot at the prisoner's current revision: one GET, plus a reload when the cached copy is behind. */
  public Future<PrisonerSnapshot> current(String prisonerId) {
    return redis.<String>call(c -> c.get(Keys.policyRevision(prisonerId)))
        .compose(rev -> fresh(prisonerId, rev == null ? 0L : Long.parseLong(rev)));
  }

  /** The cached snapshot if one is loaded right now (no Redis call). */
  public Optional<PrisonerSnapshot> cached(String prisonerId) {
    CompletableFuture<PrisonerSnapshot> cf = cache.getIfPresent(prisonerId);
    return cf != null && cf.isDone() && !cf.isCompletedExceptionally() ? Optional.of(cf.join()) : Optional.empty();
  }

  /** Drops this node's copy; the next decision reads Redis. */
  public void invalidate(String prisonerId) {
    cache.synchronous().invalidate(prisonerId);
  }

  /** Drops every copy (tests and benchmarks measuring cold decisions). */
  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  /** The prisoner a contact belongs to (immutable once written, so cached without expiry); empty when unknown. */
  public Future<Optional<String>> ownerOf(String contactId) {
    String known = owners.getIfPresent(contactId);
    if (known != null) {
      return Future.succeededFuture(Optional.of(known));
    }
    return redis.<String>call(c -> c.get(Keys.contactOwner(contactId))).map(owner -> {
      if (owner != null) {
        owners.put(contactId, owner);
      }
      return Optional.ofNullable(owner);
    });
  }

  /** Reads a snapshot straight from Redis, bypassing the cache. */
  public Future<PrisonerSnapshot> load(String prisonerId) {
    return snapshot.read(prisonerId).map(raw -> parse(prisonerId, raw));
  }

  private CompletableFuture<PrisonerSnapshot> loadInto(String prisonerId) {
    return load(prisonerId).onSuccess(s -> loadListeners.forEach(l -> l.accept(s)))
        .toCompletionStage().toCompletableFuture();
  }

  private static PrisonerSnapshot parse(String prisonerId, List<Object> raw) {
    long revision = Long.parseLong(String.valueOf(raw.get(0)));
    ClearanceRecord clearance = ClearanceRecord.fromHash(prisonerId, flatToMap((List<?>) raw.get(1)));
    Map<String, ContactRecord> contacts = new HashMap<>();
    for (int i = 2; i < raw.size(); i++) {
      ContactRecord c = ContactRecord.fromFlat((List<?>) raw.get(i));
      if (c != null) {
        contacts.put(c.id(), c);
      }
    }
    return PrisonerSnapshot.of(prisonerId, revision, clearance, contacts);
  }

  static Map<String, String> flatToMap(List<?> flat) {
    Map<String, String> h = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      h.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return h;
  }
}
