package org.kinlink.gateway.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The API's paths and their methods, for the answer to a request no operation matched: 405 with
 * {@code Allow} when the path exists with other methods, 404 when it does not exist at all.
 */
public final class ApiPaths {
  private record Entry(Pattern path, String method) {}

  private final List<Entry> entries = new ArrayList<>();

  public void add(Operation operation) {
    String regex = Pattern.quote(operation.getOpenAPIPath()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
    entries.add(new Entry(Pattern.compile(regex), operation.getHttpMethod().name()));
  }

  /** The catch-all handler under {@code /api/}. */
  public void unmatched(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    Set<String> allowed = new TreeSet<>();
    for (Entry e : entries) {
      if (e.path().matcher(path).matches()) {
        allowed.add(e.method());
      }
    }
    if (allowed.isEmpty()) {
      ctx.fail(ApiException.notFound("There is no API operation at " + path + "."));
      return;
    }
    ctx.response().putHeader("Allow", String.join(", ", allowed));
    ctx.fail(new ApiException(405, "METHOD_NOT_ALLOWED", path + " accepts " + String.join(", ", allowed) + " only."));
  }
}
