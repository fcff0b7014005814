package org.kinlink.gateway.auth;

import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.identity.Principal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.kinlink.gateway.http.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authentication root handler. A request with {@code Authorization: Bearer <token>} whose token
 * is correctly signed, unexpired and of an unrevoked session continues with its {@link Principal}
 * in {@link CurrentPrincipal}; a present but bad token is answered 401 {@code INVALID_TOKEN}; a
 * request without a token continues anonymous (operations that need sign-in refuse it themselves).
 *
 * <p>The WebSocket path {@code /ws} may carry the token as {@code ?access_token=} (browsers cannot
 * set headers on a WebSocket); REST never reads it from the query, where it would end up in logs.
 * The sign-in operations ignore tokens altogether, so a client that still sends its expired
 * access token can refresh or sign in again.
 */
public final class Authenticator implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  /** The WebSocket path, the only one that accepts {@code ?access_token=}. */
  public static final String WEBSOCKET_PATH = "/ws";

  private final AccessTokens tokens;
  private final RevocationCache revocations;
  private final AccountCheck accounts;

  Authenticator(AccessTokens tokens, RevocationCache revocations, AccountCheck accounts) {
    this.tokens = tokens;
    this.revocations = revocations;
    this.accounts = accounts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    // Jitsi's calls to the gateway carry the Jitsi API secret, which the Jitsi module checks itself
    if (path.startsWith("/api/v1/auth/") && !path.equals("/api/v1/auth/logout") || path.startsWith("/jitsi/")) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String token = null;
    if (header != null) {
      if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        fail(ctx, invalid("Send the access token as 'Authorization: Bearer <token>'."));
        return;
      }
      token = header.substring(7).trim();
    } else if (WEBSOCKET_PATH.equals(path)) {
      token = ctx.request().getParam("access_token");
    }
    if (token == null) {
      ctx.next();
      return;
    }
    authenticate(token).onComplete(ar -> {
      if (ar.succeeded()) {
        CurrentPrincipal.set(ctx, ar.result());
        ctx.next();
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  /**
   * Verifies an access token (signature, expiry, revocation, and that its account exists and is
   * enabled as it claims) into its principal; also for the WebSocket's first frame.
   */
  public Future<Principal> authenticate(String token) {
    return tokens.verify(token)
        .recover(e -> {
          log.debug("access token refused: {}", e.toString());
          return Future.failedFuture(invalid("The access token is not valid or has expired. Refresh it or sign in again."));
        })
        .compose(p -> revocations.isRevoked(p.sessionId()).compose(revoked -> revoked
            ? Future.failedFuture(invalid("This session has ended. Sign in again."))
            : accounts.active(p).compose(active -> active
                ? Future.succeededFuture(p)
                : Future.failedFuture(invalid("This account cannot sign in any more. Ask an administrator.")))));
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof ApiException api && api.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    ctx.fail(e);
  }

  private static ApiException invalid(String message) {
    return new ApiException(401, "INVALID_TOKEN", message);
  }
}
