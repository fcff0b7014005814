package org.kinlink.gateway.http;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * An error a client can act on, rendered as docs/api.md's error shape:
 * {@code {"error": {"code", "message", "field"?}}}. Never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;
  private final Duration retryAfter;
  private final JsonObject details;

  public ApiException(int status, String code, String message, String field, Duration retryAfter, JsonObject details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
    this.details = details;
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, null, null, null);
  }

  public static ApiException badRequest(String code, String message, String field) {
    return new ApiException(400, code, message, field, null, null);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "UNAUTHENTICATED", message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "FORBIDDEN", message);
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "NOT_FOUND", what);
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }

  public static ApiException unprocessable(String code, String message, String field) {
    return new ApiException(422, code, message, field, null, null);
  }

  public static ApiException tooManyRequests(String message, Duration retryAfter) {
    return new ApiException(429, "TOO_MANY_REQUESTS", message, null, retryAfter, null);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "UNAVAILABLE", message);
  }

  /** Same error with extra members next to code/message (e.g. a list of problems). */
  /** How HTTP says a service's refusal. */
  public static ApiException from(org.kinlink.gateway.domain.DomainException d) {
    int status = switch (d.kind()) {
      case INVALID -> 400;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case REJECTED -> 422;
      case VERSION_REQUIRED -> 428;
      case UNAVAILABLE -> 503;
    };
    return new ApiException(status, d.code(), d.getMessage(), d.field(), null, d.details());
  }

  public ApiException withDetails(JsonObject extra) {
    return new ApiException(status, code, getMessage(), field, retryAfter, extra);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** The JSON body sent to the client. */
  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code).put("message", getMessage());
    if (field != null) {
      error.put("field", field);
    }
    if (details != null) {
      error.mergeIn(details);
    }
    return new JsonObject().put("error", error);
  }
}
