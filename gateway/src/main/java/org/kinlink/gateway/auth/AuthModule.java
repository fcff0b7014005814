package org.kinlink.gateway.auth;

import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.identity.Principal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;

/** Sign-in endpoints of {@code openapi/auth.yaml}: kiosk, login, password and PIN change, refresh, logout and me. */
public final class AuthModule implements ApiModule {
  private final AuthService auth;

  public AuthModule(AuthService auth) {
    this.auth = auth;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("authKiosk").addHandler(Responses.handler(200, ctx -> {
      JsonObject b = Responses.body(ctx);
      return auth.signIn().kiosk(b.getString("prison_number"), b.getString("pin"), b.getString("device_id"),
          b.getString("nonce"), b.getString("signature"), source(ctx));
    }));
    builder.getRoute("authKioskChallenge").addHandler(Responses.handler(200,
        ctx -> auth.signIn().kioskChallenge(Responses.body(ctx).getString("device_id"), source(ctx))));
    builder.getRoute("authLogin").addHandler(Responses.handler(200, ctx -> {
      JsonObject b = Responses.body(ctx);
      return auth.signIn().login(b.getString("email"), b.getString("password"), b.getString("otp"), source(ctx));
    }));
    builder.getRoute("authChangePassword").addHandler(Responses.handler(200, ctx -> {
      JsonObject b = Responses.body(ctx);
      return auth.passwordChange().change(CurrentPrincipal.of(ctx), b.getString("current_password"), b.getString("new_password"),
          source(ctx));
    }));
    builder.getRoute("authChangePin").addHandler(Responses.handler(200, ctx -> {
      JsonObject b = Responses.body(ctx);
      return auth.passwordChange().changePin(CurrentPrincipal.of(ctx), b.getString("current_pin"), b.getString("new_pin"),
          source(ctx));
    }));
    builder.getRoute("authRefresh").addHandler(Responses.handler(200,
        ctx -> auth.signIn().refresh(Responses.body(ctx).getString("refresh_token"))));
    builder.getRoute("authLogout").addHandler(ctx -> {
      Principal p;
      try {
        p = CurrentPrincipal.of(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      auth.signIn().logout(p).onComplete(ar -> {
        if (ar.succeeded()) {
          ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
        } else {
          ctx.fail(ar.cause());
        }
      });
    });
    builder.getRoute("getMe").addHandler(Responses.handler(200, ctx -> auth.me().build(CurrentPrincipal.of(ctx))));
  }

  /** The TCP peer; X-Forwarded-For is deliberately not trusted (see {@link SignInGuard}). */
  public static String source(RoutingContext ctx) {
    var remote = ctx.request().remoteAddress();
    return SignInGuard.sourceOf(remote == null ? null : remote.hostAddress());
  }
}
