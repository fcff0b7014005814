package org.kinlink.gateway.http;

import io.vertx.core.http.HttpServerResponse;

/** The headers every answer carries, whoever writes it: the router, the static files, or a rejected request. */
public final class SecurityHeaders {
  private SecurityHeaders() {}

  /** Sets them on a response before anything else writes it; {@code tls}: also HSTS. */
  public static HttpServerResponse apply(HttpServerResponse response, boolean tls) {
    response
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        // the web client has no inline scripts or styles and loads nothing from elsewhere; photos and
        // call recordings are shown from blob: URLs the page made itself from authenticated fetches
        // (the bearer token never goes in an <img> or <video> src)
        .putHeader("Content-Security-Policy",
            "default-src 'self'; img-src 'self' blob:; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (tls) {
      // a year, the value browsers' preload lists ask for; plain HTTP must never send it (RFC 6797 7.2)
      response.putHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    return response;
  }
}
