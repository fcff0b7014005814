package org.kinlink.gateway.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured log line per request: method, path (never the query: it may hold tokens), status,
 * time. A child's join link carries its one-time token in the path, so that part is never logged.
 */
public final class RequestLog {
  private static final Logger log = LoggerFactory.getLogger("kinlink.http");
  private static final java.util.regex.Pattern JOIN_TOKEN = java.util.regex.Pattern.compile("^(/(?:api/v1/)?join/)[^/]+");

  private RequestLog() {}

  public static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addBodyEndHandler(v -> {
      if (log.isInfoEnabled()) {
        log.info("request", kv("method", ctx.request().method().name()), kv("path", loggedPath(ctx.request().path())),
            kv("status", ctx.response().getStatusCode()), kv("micros", (System.nanoTime() - start) / 1000));
      }
    });
    ctx.next();
  }

  /** The path as it may be logged: a join link's token replaced by a marker. */
  static String loggedPath(String path) {
    return path == null ? null : JOIN_TOKEN.matcher(path).replaceFirst("$1<token>");
  }
}
