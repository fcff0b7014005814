package org.kinlink.gateway.auth;

import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
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
 *
 * <p>A token of a session opened with a secret someone else chose (claim {@code pwc}: a one-time
 * password, or a kiosk PIN staff set) is good for changing that secret and signing out only; every
 * other request with it, the WebSocket's included, is answered 403 {@code PASSWORD_CHANGE_REQUIRED}
 * (its message telling a prisoner to choose her own PIN). Enforced here, where every authenticated
 * request passes, so no operation can forget it.
 */
public final class Authenticator implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  /** The WebSocket path, the only one that accepts {@code ?access_token=}. */
  public static final String WEBSOCKET_PATH = "/ws";
  /** The operations a session that must change its password may use. */
  static final String LOGOUT_PATH = "/api/v1/auth/logout";
  static final String PASSWORD_PATH = "/api/v1/auth/password";
  static final String PIN_PATH = "/api/v1/auth/pin";

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
    if (path.startsWith("/api/v1/auth/") && !path.equals(LOGOUT_PATH) && !path.equals(PASSWORD_PATH)
        && !path.equals(PIN_PATH) || path.startsWith("/jitsi/")) {
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
    boolean post = ctx.request().method() == HttpMethod.POST;
    verified(token).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
      } else if (ar.result().passwordChangeOnly() && !(post && (path.equals(LOGOUT_PATH)
          || path.equals(changePath(ar.result().principal()))))) {
        fail(ctx, passwordChangeRequired(ar.result().principal()));
      } else {
        CurrentPrincipal.set(ctx, ar.result().principal());
        ctx.next();
      }
    });
  }

  /**
   * Verifies an access token into its principal, as for a request to any operation: a token that may
   * only change its password is refused (403 {@code PASSWORD_CHANGE_REQUIRED}). For the WebSocket's first frame.
   */
  public Future<Principal> authenticate(String token) {
    return verified(token).compose(v -> v.passwordChangeOnly()
        ? Future.failedFuture(passwordChangeRequired(v.principal())) : Future.succeededFuture(v.principal()));
  }

  /** Where the principal changes the secret it signs in with: a prisoner her PIN, anyone else a password. */
  static String changePath(Principal p) {
    return p.role() == Role.PRISONER ? PIN_PATH : PASSWORD_PATH;
  }

  /** The one refusal of a change-only session, a PIN's and a password's alike, in the words of its secret. */
  static ApiException passwordChangeRequired(Principal p) {
    if (p.role() == Role.PRISONER) {
      return new ApiException(403, "PASSWORD_CHANGE_REQUIRED", "You signed in with a PIN a member of staff gave you. "
          + "Choose your own PIN first (POST " + PIN_PATH + "), or sign out.");
    }
    return new ApiException(403, "PASSWORD_CHANGE_REQUIRED", "You signed in with a password someone else gave you. "
        + "Choose a new password before you do anything else (POST " + PASSWORD_PATH + "), or sign out.");
  }

  /**
   * Verifies an access token (signature, expiry, revocation, and that its account exists and is
   * enabled as it claims) into its principal and whether it may only change its password.
   */
  private Future<AccessTokens.Verified> verified(String token) {
    return tokens.verify(token)
        .recover(e -> {
          log.debug("access token refused: {}", e.toString());
          return Future.failedFuture(invalid("The access token is not valid or has expired. Refresh it or sign in again."));
        })
        .compose(v -> revocations.isRevoked(v.principal().sessionId()).compose(revoked -> revoked
            ? Future.failedFuture(invalid("This session has ended. Sign in again."))
            : accounts.active(v.principal()).compose(active -> active
                ? Future.succeededFuture(v)
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
