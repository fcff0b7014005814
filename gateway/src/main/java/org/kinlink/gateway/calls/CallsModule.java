package org.kinlink.gateway.calls;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.http.Responses;
import org.kinlink.media.embedded.EmbeddedMediaBackend;

/** The HTTP surface of calls ({@code openapi/calls.yaml}) and the {@code /join/{token}} page route. */
public final class CallsModule implements org.kinlink.gateway.http.ApiModule {
  private final CallsService calls;
  private final Recordings recordings;
  private final EmbeddedMediaBackend media;
  private final CallSettingsService settings;

  CallsModule(CallsService calls, Recordings recordings, EmbeddedMediaBackend media, CallSettingsService settings) {
    this.calls = calls;
    this.recordings = recordings;
    this.media = media;
    this.settings = settings;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("requestCall").addHandler(ctx -> {
      try {
        calls.request(CurrentPrincipal.of(ctx), Responses.body(ctx))
            .onSuccess(a -> Responses.json(ctx, a.status(), a.body())).onFailure(ctx::fail);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
    builder.getRoute("listCalls").addHandler(Responses.handler(200, ctx -> calls.list(CurrentPrincipal.of(ctx),
        ctx.request().getParam("from"), ctx.request().getParam("to"), ctx.request().getParam("cursor"), limit(ctx))));
    builder.getRoute("listLiveCalls").addHandler(Responses.handler(200, ctx -> calls.live(CurrentPrincipal.of(ctx), media::present)));
    builder.getRoute("getCall").addHandler(Responses.handler(200, ctx -> calls.get(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("approveCall").addHandler(Responses.handler(200, ctx -> calls.approve(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("rejectCall").addHandler(Responses.handler(200, ctx -> calls.reject(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("cancelCall").addHandler(Responses.handler(200, ctx -> calls.cancel(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("terminateCall").addHandler(Responses.handler(200, ctx -> calls.terminate(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("monitorCall").addHandler(Responses.handler(200, ctx -> calls.monitor(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("joinCall").addHandler(Responses.handler(200, ctx -> calls.join(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("createJoinLink").addHandler(ctx -> {
      try {
        calls.createLink(CurrentPrincipal.of(ctx), id(ctx), Responses.body(ctx).getString("child_id"))
            .onSuccess(a -> Responses.json(ctx, a.status(), a.body())).onFailure(ctx::fail);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
    builder.getRoute("redeemJoinLink").addHandler(Responses.handler(200, ctx -> calls.redeem(ctx.pathParam("token"),
        Responses.body(ctx).getString("device_id"))));
    builder.getRoute("uploadRecordingChunk").addHandler(Responses.handler(200, ctx -> {
      JsonObject b = Responses.body(ctx);
      return recordings.chunk(CurrentPrincipal.of(ctx), id(ctx), b.getLong("seq"), b.getString("data"), b.getString("mime"));
    }));
    builder.getRoute("listRecordings").addHandler(Responses.handler(200, ctx -> recordings.list(CurrentPrincipal.of(ctx), id(ctx),
        ctx.request().getParam("reason"))));
    builder.getRoute("listEstablishmentRecordings").addHandler(Responses.handler(200, ctx -> recordings.listEstablishment(
        CurrentPrincipal.of(ctx), ctx.request().getParam("cursor"), limit(ctx))));
    builder.getRoute("holdCallRecordings").addHandler(Responses.handler(200, ctx -> {
      JsonObject b = Responses.body(ctx);
      return recordings.hold(CurrentPrincipal.of(ctx), id(ctx), b.getBoolean("held"), b.getString("reason"));
    }));
    builder.getRoute("getCallSettings").addHandler(Responses.handler(200, ctx -> settings.get(CurrentPrincipal.of(ctx),
        ctx.pathParam("id"))));
    builder.getRoute("putCallSettings").addHandler(Responses.handler(200, ctx -> settings.put(CurrentPrincipal.of(ctx),
        ctx.pathParam("id"), Responses.body(ctx))));
    builder.getRoute("playRecording").addHandler(ctx -> {
      try {
        recordings.play(CurrentPrincipal.of(ctx), ctx.pathParam("recordingId"), ctx.request().getParam("reason"))
            .onSuccess(p -> ctx.response().putHeader("Content-Type", p.mime()).putHeader("Cache-Control", "no-store")
                .end(p.body()))
            .onFailure(ctx::fail);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  @Override
  public void mountExtra(Router router) {
    // the child's page: one static file for every token (the page reads the token from its own address)
    router.getWithRegex("/join/[A-Za-z0-9_-]{20,100}").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store").sendFile("webroot/join/index.html").onFailure(ctx::fail));
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("callId");
  }

  private static String reason(RoutingContext ctx) {
    return Responses.body(ctx).getString("reason");
  }

  private static int limit(RoutingContext ctx) {
    String s = ctx.request().getParam("limit");
    return s == null ? 50 : Integer.parseInt(s);
  }
}
