package org.kinlink.gateway.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One structured log line per request: method, path (never the query: it may hold tokens), status, time. */
public final class RequestLog {
  private static final Logger log = LoggerFactory.getLogger("kinlink.http");

  private RequestLog() {}

  public static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addBodyEndHandler(v -> {
      if (log.isInfoEnabled()) {
        log.info("request", kv("method", ctx.request().method().name()), kv("path", ctx.request().path()),
            kv("status", ctx.response().getStatusCode()), kv("micros", (System.nanoTime() - start) / 1000));
      }
    });
    ctx.next();
  }
}
