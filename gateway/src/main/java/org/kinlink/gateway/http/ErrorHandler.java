package org.kinlink.gateway.http;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.UUID;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into API.md's JSON error shape; unexpected ones are logged with an id the client sees. */
public final class ErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  private ErrorHandler() {}

  /** The router's failure handler. */
  public static void handle(RoutingContext ctx) {
    ApiException error = toApiException(ctx.failure(), ctx.statusCode());
    if (error.status() == 500) {
      String incident = UUID.randomUUID().toString();
      log.error("unexpected failure {} {} incident={}", ctx.request().method(), ctx.request().path(), incident, ctx.failure());
      error = new ApiException(500, "INTERNAL", "Something went wrong on our side; nothing you sent was lost. Quote incident " + incident + " if it happens again.");
    }
    send(ctx, error);
  }

  /** Writes an error response (unless one was already sent). */
  public static void send(RoutingContext ctx, ApiException error) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    if (error.retryAfter() != null) {
      ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, error.retryAfter().toSeconds())));
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(error.toJson().encode());
  }

  static ApiException toApiException(Throwable failure, int status) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof StoreUnavailableException) {
      return ApiException.unavailable("The data store is not answering; nothing was written. Try again shortly.");
    }
    if (failure instanceof SchemaValidationException sve) {
      return fromSchema(sve);
    }
    if (failure instanceof ValidatorException ve) {
      return ApiException.badRequest("INVALID_REQUEST", cleanMessage(ve.getMessage()), null);
    }
    if (failure instanceof DecodeException) {
      return ApiException.badRequest("INVALID_JSON", "The body is not valid JSON.", null);
    }
    if (failure instanceof HttpException he) {
      return fromStatus(he.getStatusCode(), he.getPayload());
    }
    if (failure == null) {
      return fromStatus(status, null);
    }
    if (failure instanceof IllegalStateException ise && String.valueOf(ise.getMessage()).contains("Request has already been read")) {
      return ApiException.badRequest("INVALID_REQUEST", "The request body could not be read.", null);
    }
    return new ApiException(500, "INTERNAL", "internal");
  }

  private static ApiException fromStatus(int status, String payload) {
    return switch (status) {
      case 400 -> ApiException.badRequest("INVALID_REQUEST", payload != null ? payload : "The request is not valid.", null);
      case 401 -> ApiException.unauthorized("Sign in first: this needs a valid access token.");
      case 403 -> ApiException.forbidden("You are not allowed to do this.");
      case 404 -> ApiException.notFound("There is nothing at this address.");
      case 405 -> new ApiException(405, "METHOD_NOT_ALLOWED", "This address does not accept that method.");
      case 413 -> new ApiException(413, "TOO_LARGE", "The request body is larger than this gateway accepts.");
      case 415 -> new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Send JSON with Content-Type: application/json.");
      default -> status >= 400 && status < 500
          ? new ApiException(status, "INVALID_REQUEST", "The request was not accepted.")
          : new ApiException(500, "INTERNAL", "internal");
    };
  }

  private static ApiException fromSchema(SchemaValidationException e) {
    OutputUnit unit = deepest(e.getOutputUnit());
    String field = unit == null ? null : pointerToPath(unit.getInstanceLocation());
    String detail = unit == null || unit.getError() == null ? cleanMessage(e.getMessage()) : unit.getError();
    String message = (field == null || field.isEmpty() ? "The body" : "'" + field + "'") + " is not valid: " + detail;
    return ApiException.badRequest("INVALID_REQUEST", message, field == null || field.isEmpty() ? null : field);
  }

  private static OutputUnit deepest(OutputUnit unit) {
    if (unit == null) {
      return null;
    }
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      // the last error is the most specific one in vertx-json-schema's output
      OutputUnit last = unit.getErrors().get(unit.getErrors().size() - 1);
      return deepest(last);
    }
    return unit;
  }

  /** JSON pointer "/a/0/b" -> "a[0].b", the form every error's "field" uses. */
  static String pointerToPath(String pointer) {
    if (pointer == null) {
      return null;
    }
    String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder out = new StringBuilder();
    for (String part : p.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String unescaped = part.replace("~1", "/").replace("~0", "~");
      if (unescaped.chars().allMatch(Character::isDigit)) {
        out.append('[').append(unescaped).append(']');
      } else {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(unescaped);
      }
    }
    return out.toString();
  }

  private static String cleanMessage(String message) {
    return message == null ? "The request is not valid." : message;
  }
}
