package org.kinlink.gateway.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import org.kinlink.gateway.Services;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;

/** Liveness, readiness (Redis answering) and Prometheus metrics: the routes an operator's probes call. */
public final class OpsModule implements ApiModule {
  private final Services services;

  public OpsModule(Services services) {
    this.services = services;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("getVersion").addHandler(ctx -> Responses.json(ctx, 200,
        new JsonObject().put("name", "kinlink").put("version", "0.1.0")));
  }

  @Override
  public void mountExtra(Router router) {
    router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> services.redis().ping().onComplete(ar -> {
      boolean redisUp = ar.succeeded() && Boolean.TRUE.equals(ar.result());
      JsonObject body = new JsonObject()
          .put("status", redisUp ? "UP" : "DOWN")
          .put("checks", new JsonObject().put("redis", redisUp ? "UP" : "DOWN"));
      Responses.json(ctx, redisUp ? 200 : 503, body);
    }));
    PrometheusMeterRegistry registry = services.metrics();
    router.get("/metrics").handler(ctx -> ctx.vertx()
        .executeBlocking(registry::scrape, false)
        .onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(ctx::fail));
  }
}
