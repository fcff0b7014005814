package org.kinlink.gateway.demo;

import io.vertx.core.Future;
import org.kinlink.gateway.Services;

/** The demo establishments, people and sign-ins of DEMO.md, loaded once by {@code kinlink demo} only. */
public final class DemoData {
  private DemoData() {}

  /** Loads the demo data unless an earlier run already did. */
  public static Future<Void> loadOnce(Services services) {
    return Future.succeededFuture();
  }

  /** What {@code kinlink demo} prints: URLs and sign-ins. */
  public static String banner(String baseUrl) {
    return """

        Kinlink demo is running.
          Home:           %1$s/
          Staff console:  %1$s/staff/
          API contract:   %1$s/api/v1/openapi.yaml
          Health:         %1$s/health/ready
        """.formatted(baseUrl);
  }
}
