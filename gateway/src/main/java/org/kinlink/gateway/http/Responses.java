package org.kinlink.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** Small helpers so handlers read as "compute a future, answer with it". */
public final class Responses {
  private Responses() {}

  /** Sends {@code body} as JSON with the given status. */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** Answers with the future's JSON when it succeeds, or routes its failure to the error handler. */
  public static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, status, ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  /** A handler from a function of the context; thrown exceptions and failed futures go to the error handler. */
  public static io.vertx.core.Handler<RoutingContext> handler(int status, Function<RoutingContext, Future<JsonObject>> fn) {
    return ctx -> {
      Future<JsonObject> f;
      try {
        f = fn.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      reply(ctx, status, f);
    };
  }

  /** The validated JSON body (the OpenAPI router has already checked its shape). */
  public static JsonObject body(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }
}
