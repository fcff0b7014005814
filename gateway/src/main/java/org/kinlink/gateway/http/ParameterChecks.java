package org.kinlink.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Integer parameters, checked as the text handlers will parse. JSON Schema counts {@code 1.0} and
 * {@code 1e2} as integers, and an integer without a maximum can be too large for an {@code int}, so
 * the OpenAPI validator lets through values {@code Integer.parseInt} then throws on. Mounted as each
 * operation's first handler (after the validator), so every module can parse them plainly.
 */
public final class ParameterChecks {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,10}");

  private ParameterChecks() {}

  /** The check for one operation, or null when it has no integer parameter. */
  public static Handler<RoutingContext> forOperation(Operation operation) {
    List<Parameter> integers = new ArrayList<>();
    for (Parameter p : operation.getParameters()) {
      Object type = p.getSchema() == null ? null : p.getSchema().get("type");
      if ((p.getIn() == Location.QUERY || p.getIn() == Location.PATH) && "integer".equals(type)) {
        integers.add(p);
      }
    }
    if (integers.isEmpty()) {
      return null;
    }
    return ctx -> {
      for (Parameter p : integers) {
        List<String> values = p.getIn() == Location.QUERY ? ctx.queryParam(p.getName()) : nullable(ctx.pathParam(p.getName()));
        for (String value : values) {
          if (!isInt(value)) {
            ctx.fail(ApiException.badRequest("INVALID_PARAMETER", "The " + p.getIn().name().toLowerCase()
                + " parameter '" + p.getName() + "' must be a whole number such as 50.", p.getName()));
            return;
          }
        }
      }
      ctx.next();
    };
  }

  private static List<String> nullable(String value) {
    return value == null ? List.of() : List.of(value);
  }

  static boolean isInt(String value) {
    if (!WHOLE_NUMBER.matcher(value).matches()) {
      return false;
    }
    long n = Long.parseLong(value);
    return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE;
  }
}
