package org.kinlink.gateway.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;

/**
 * Liveness, readiness (every {@link Readiness} check: Redis answering, background work started,
 * demo data loaded ...) and Prometheus metrics: the routes an operator's probes call.
 */
public final class OpsModule implements ApiModule {
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;

  public OpsModule(Readiness readiness, PrometheusMeterRegistry registry) {
    this.readiness = readiness;
    this.registry = registry;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("getVersion").addHandler(ctx -> Responses.json(ctx, 200,
        new JsonObject().put("name", "kinlink").put("version", "0.1.0")));
  }

  @Override
  public void mountExtra(Router router) {
    router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> readiness.check()
        .onSuccess(report -> Responses.json(ctx, report.ready() ? 200 : 503, report.toJson()))
        .onFailure(ctx::fail));
    router.get("/metrics").handler(ctx -> ctx.vertx()
        .executeBlocking(registry::scrape, false)
        .onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(ctx::fail));
  }
}
