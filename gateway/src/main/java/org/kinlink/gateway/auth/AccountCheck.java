package org.kinlink.gateway.auth;

import org.kinlink.gateway.identity.Principal;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Clock;
import org.kinlink.gateway.people.Directory;

/**
 * Whether an access token's account still exists and may act as the token says (enabled, same role,
 * same establishment). A correctly signed token is not enough: whoever reads the signing key from
 * Redis could mint one for an account that does not exist. Answers are cached per node for as long
 * as {@link RevocationCache} trusts a "not revoked" answer, so a request costs a Redis read at most
 * once per account every {@link RevocationCache#NOT_REVOKED_FOR}; disabling an account also revokes
 * its sessions, which takes effect at once.
 */
final class AccountCheck {
  private final Directory directory;
  private final Cache<String, Boolean> answers;

  AccountCheck(Directory directory, Clock clock) {
    this.directory = directory;
    // answers age by the gateway clock, like the tokens they guard
    this.answers = Caffeine.newBuilder().ticker(() -> clock.millis() * 1_000_000L)
        .expireAfterWrite(RevocationCache.NOT_REVOKED_FOR).maximumSize(1_000_000).build();
  }

  /** True when the principal's account exists and is enabled as it claims; fails when Redis cannot answer. */
  Future<Boolean> active(Principal p) {
    String key = p.role() + "|" + p.accountId() + "|" + p.establishment();
    Boolean known = answers.getIfPresent(key);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return lookUp(p).map(ok -> {
      answers.put(key, ok);
      return ok;
    });
  }

  private Future<Boolean> lookUp(Principal p) {
    return switch (p.role()) {
      case PRISONER -> directory.prisoner(p.accountId())
          .map(o -> o.filter(x -> x.establishment().equals(p.establishment())).isPresent());
      case OUTSIDE -> directory.person(p.accountId()).map(o -> o.filter(x -> x.canSignIn()).isPresent());
      default -> directory.staff(p.accountId()).map(o -> o.filter(s -> !s.disabled() && s.role() == p.role()
          && s.establishment().equals(p.establishment())).isPresent());
    };
  }
}
