package org.kinlink.gateway.identity;

import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Optional;
import org.kinlink.gateway.http.ApiException;

/**
 * Where the authentication root handler leaves the verified {@link Principal} for the handlers
 * after it. Operations that need sign-in ask for it; public ones (sign-in itself) don't.
 */
public final class CurrentPrincipal {
  private static final String KEY = "kinlink.principal";

  private CurrentPrincipal() {}

  /** Stores the principal for this request (called by the authentication handler only). */
  public static void set(RoutingContext ctx, Principal principal) {
    ctx.put(KEY, principal);
  }

  /** The principal, if the request carried a valid access token. */
  public static Optional<Principal> find(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }

  /** The principal; 401 when the request is not signed in. */
  public static Principal of(RoutingContext ctx) {
    return find(ctx).orElseThrow(() -> ApiException.unauthorized("Sign in first: this needs a valid access token."));
  }

  /** The principal when it has one of {@code roles}; 401 when not signed in, 403 for any other role. */
  public static Principal requireRole(RoutingContext ctx, Role... roles) {
    Principal p = of(ctx);
    if (Arrays.asList(roles).contains(p.role())) {
      return p;
    }
    throw ApiException.forbidden("Your role (" + p.role() + ") may not do this.");
  }
}
