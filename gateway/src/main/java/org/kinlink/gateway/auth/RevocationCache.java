package org.kinlink.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Duration;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Which sessions are revoked, as this node knows it: a Caffeine cache in front of the Redis markers,
 * updated at once by the revocations every node publishes on {@link Keys#REVOCATIONS_CHANNEL}.
 *
 * <p>"Not revoked" answers are cached only briefly ({@link #NOT_REVOKED_FOR}) as a backstop in case a
 * pub/sub message is lost while a node reconnects; "revoked" answers are kept as long as an access
 * token can live. On a miss Redis is asked; if it cannot answer, the request fails (503): closed, not open.
 */
public final class RevocationCache {
  /** How long a "not revoked" answer is trusted without asking Redis again. */
  public static final Duration NOT_REVOKED_FOR = Duration.ofSeconds(10);

  private final Sessions sessions;
  private final Redis redis;
  private final Cache<String, Boolean> revoked;
  private final Cache<String, Boolean> notRevoked;

  public RevocationCache(Sessions sessions, Redis redis, Duration accessTtl) {
    this.sessions = sessions;
    this.redis = redis;
    this.revoked = Caffeine.newBuilder().expireAfterWrite(accessTtl).maximumSize(1_000_000).build();
    this.notRevoked = Caffeine.newBuilder().expireAfterWrite(NOT_REVOKED_FOR).maximumSize(1_000_000).build();
  }

  /** Listens to revocations from every node. */
  public Future<Void> start() {
    return redis.subscribe(Keys.REVOCATIONS_CHANNEL, this::markRevoked);
  }

  /** Records a revocation locally (from this node or a message). */
  public void markRevoked(String sid) {
    revoked.put(sid, Boolean.TRUE);
    notRevoked.invalidate(sid);
  }

  /** Publishes a revocation to every node (including this one). */
  public Future<Void> publish(String sid) {
    markRevoked(sid);
    return redis.publish(Keys.REVOCATIONS_CHANNEL, sid).mapEmpty();
  }

  /** True when the session is revoked; fails when Redis must be asked and cannot answer. */
  public Future<Boolean> isRevoked(String sid) {
    if (revoked.getIfPresent(sid) != null) {
      return Future.succeededFuture(true);
    }
    if (notRevoked.getIfPresent(sid) != null) {
      return Future.succeededFuture(false);
    }
    return sessions.isRevoked(sid).map(r -> {
      if (r) {
        revoked.put(sid, Boolean.TRUE);
        return true;
      }
      // a revocation message may have arrived while Redis answered: it wins
      if (revoked.getIfPresent(sid) != null) {
        return true;
      }
      notRevoked.put(sid, Boolean.TRUE);
      return false;
    });
  }
}
