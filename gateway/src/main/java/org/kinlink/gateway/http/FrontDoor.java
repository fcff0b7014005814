package org.kinlink.gateway.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * What every request passes before the router: the security headers go on its response first (so
 * even a 413 or a static 404 carries them), and requests the router would fail on with an exception
 * (HTTP/1.1 without Host, a query string that is not valid URL encoding) get a 400 in the error shape.
 */
public final class FrontDoor implements Handler<HttpServerRequest> {
  private final Handler<HttpServerRequest> next;
  private final boolean tls;
  private final ConnectionGuard guard;

  public FrontDoor(Handler<HttpServerRequest> next, boolean tls, ConnectionGuard guard) {
    this.next = next;
    this.tls = tls;
    this.guard = guard;
  }

  @Override
  public void handle(HttpServerRequest request) {
    guard.requestArrived(request.connection());
    SecurityHeaders.apply(request.response(), tls);
    if (request.version() == HttpVersion.HTTP_1_1 && !hasValidHost(request)) {
      reject(request, ApiException.badRequest("MISSING_HOST", "An HTTP/1.1 request must have a valid Host header.", null), true);
      return;
    }
    if (!validPercentEncoding(request.path())) {
      reject(request, ApiException.badRequest("INVALID_PATH",
          "The path is not valid URL encoding: a % must be followed by two hexadecimal digits.", null), false);
      return;
    }
    ApiException badQuery = checkQuery(request.uri());
    if (badQuery != null) {
      reject(request, badQuery, false);
      return;
    }
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    boolean formAllowed = request.path().startsWith(PROSODY_FORMS) && type != null && !OTHER_CHARSET.matcher(type).find();
    if (!formAllowed && type != null && (FORMS.matcher(type).lookingAt() || OTHER_CHARSET.matcher(type).find())
        || coding != null && !coding.trim().equalsIgnoreCase("identity")) {
      // the API reads UTF-8 JSON, uncompressed, only: a form would be decoded (and could fail) before
      // any handler saw it, and a body read in another encoding than declared could mean anything
      reject(request, new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
          "Send the body as uncompressed UTF-8 JSON with Content-Type: application/json."), true);
      return;
    }
    next.handle(request);
  }

  /** Prosody's reservation check posts a form (its wire format, not ours): the one place a form is read. */
  private static final String PROSODY_FORMS = "/jitsi/reservations/";

  private static final java.util.regex.Pattern FORMS =
      java.util.regex.Pattern.compile("\\s*(multipart/form-data|application/x-www-form-urlencoded)", java.util.regex.Pattern.CASE_INSENSITIVE);

  private static final java.util.regex.Pattern OTHER_CHARSET =
      java.util.regex.Pattern.compile(";\\s*charset\\s*=\\s*\"?(?!utf-?8\\b)", java.util.regex.Pattern.CASE_INSENSITIVE);

  private static boolean hasValidHost(HttpServerRequest request) {
    try {
      return request.headers().contains(HttpHeaders.HOST) && request.authority() != null;
    } catch (RuntimeException unparsable) {
      return false;
    }
  }

  /** True when every % in the path starts a two-hex-digit escape, as the router's path normalisation needs. */
  static boolean validPercentEncoding(String path) {
    if (path == null) {
      return true;
    }
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A connection's pipeline gets {@link HttpVersionCheck}, so a request in an HTTP version other than
   * 1.0 or 1.1 reaches {@link #invalidRequests} instead of Vert.x's bare 501.
   */
  public static void checkVersions(io.vertx.core.http.HttpConnection connection) {
    if (connection instanceof io.vertx.core.net.impl.ConnectionBase base
        && base.channel().pipeline().get("httpDecoder") != null && base.channel().pipeline().get(HttpVersionCheck.NAME) == null) {
      base.channel().pipeline().addAfter("httpDecoder", HttpVersionCheck.NAME, new HttpVersionCheck());
    }
  }

  /** The server's invalid-request handler: what Netty could not parse gets the error shape and headers too. */
  public static Handler<HttpServerRequest> invalidRequests(boolean tls) {
    return request -> {
      Throwable cause = request.decoderResult().cause();
      ApiException error;
      if (cause instanceof TooLongHttpLineException) {
        error = new ApiException(414, "URI_TOO_LONG", "The request line is longer than this gateway accepts.");
      } else if (cause instanceof HttpVersionCheck.UnsupportedVersion) {
        error = ApiException.badRequest("UNSUPPORTED_HTTP_VERSION", "This gateway speaks HTTP/1.1 (and HTTP/1.0).", null);
      } else if (cause instanceof TooLongHttpHeaderException) {
        error = new ApiException(431, "HEADERS_TOO_LARGE", "The request headers are larger than this gateway accepts.");
      } else {
        error = ApiException.badRequest("MALFORMED_REQUEST", "The request is not well-formed HTTP.", null);
      }
      SecurityHeaders.apply(request.response(), tls);
      // the decoder has lost its place in the stream: nothing after this on the connection can be trusted
      reject(request, error, true);
    };
  }

  private static void reject(HttpServerRequest request, ApiException error, boolean close) {
    var response = request.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (close) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    response.end(error.toJson().encode()).onComplete(v -> {
      if (close) {
        request.connection().close();
      }
    });
  }

  /** 400 naming the first parameter that is not valid URL encoding, or null. */
  static ApiException checkQuery(String uri) {
    int q = uri.indexOf('?');
    if (q < 0 || uri.indexOf('%', q) < 0) {
      return null;
    }
    try {
      new QueryStringDecoder(uri).parameters();
      return null;
    } catch (IllegalArgumentException bad) {
      // find which one, to name it: decode the pairs one by one
      for (String pair : uri.substring(q + 1).split("[&;]")) {
        int eq = pair.indexOf('=');
        String rawName = eq < 0 ? pair : pair.substring(0, eq);
        String name = decodeOrNull(rawName);
        String shown = name != null ? name : rawName;
        if (shown.length() > 40) {
          shown = shown.substring(0, 40) + "...";
        }
        if (name == null || (eq >= 0 && decodeOrNull(pair.substring(eq + 1)) == null)) {
          return ApiException.badRequest("INVALID_PARAMETER", "The query parameter '" + shown
              + "' is not valid URL encoding: a % must be followed by two hexadecimal digits.", shown);
        }
      }
      return ApiException.badRequest("INVALID_PARAMETER", "The query string is not valid URL encoding.", null);
    }
  }

  private static String decodeOrNull(String component) {
    try {
      return QueryStringDecoder.decodeComponent(component, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
