package org.kinlink.gateway.http;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into docs/api.md's JSON error shape; unexpected ones are logged with an id the client sees. */
public final class ErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  private ErrorHandler() {}

  /** The router's failure handler. */
  public static void handle(RoutingContext ctx) {
    ApiException error = toApiException(ctx.failure(), ctx.statusCode());
    if (error.status() == 500 && !ctx.request().isEnded()) {
      // every handler runs after the body handler has read the whole request, so a failure before the
      // request has ended is the body's stream breaking (a bad chunk size): the client's fault
      ctx.response().putHeader("Connection", "close");
      error = ApiException.badRequest("INVALID_REQUEST", "The request body could not be read.", null);
    } else if (error.status() == 500) {
      String incident = UUID.randomUUID().toString();
      log.error("unexpected failure {} {} incident={}", ctx.request().method(), ctx.request().path(), incident, ctx.failure());
      error = new ApiException(500, "INTERNAL", "Something went wrong on our side; nothing you sent was lost. Quote incident " + incident + " if it happens again.");
    }
    send(ctx, error);
  }

  /** Answers in the error shape where no route matched (a static file that is not there, a wrong method). */
  public static void forUnmatched(io.vertx.ext.web.Router router) {
    for (int status : new int[] {404, 405}) {
      router.errorHandler(status, ctx -> send(ctx, fromStatus(status, null)));
    }
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
    // the OpenAPI router wraps its validator's exception in an HttpException(400)
    if (failure instanceof HttpException he && (he.getCause() instanceof ValidatorException || he.getCause() instanceof DecodeException)) {
      failure = he.getCause();
    }
    if (failure instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null) {
      failure = ce.getCause(); // a media backend's CompletionStage
    }
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof org.kinlink.media.jitsi.SupervisorNotPresent) {
      return ApiException.conflict("WAITING_FOR_SUPERVISOR", "The supervising adult has not joined yet. Join again once they are in.");
    }
    if (failure instanceof org.kinlink.media.jitsi.JitsiUnavailable) {
      // the message names the part that failed, for staff (logged by the backend); the call stays open
      return ApiException.unavailable("The video service is not answering. The call stays open: try again in a moment.");
    }
    if (failure instanceof DomainException d) {
      return ApiException.from(d);
    }
    if (failure instanceof StoreUnavailableException) {
      return ApiException.unavailable("The data store is not answering; nothing was written. Try again shortly.");
    }
    if (failure instanceof ValidatorException ve) {
      Matcher parameter = PARAMETER.matcher(String.valueOf(ve.getMessage()));
      if (parameter.find()) {
        return fromParameter(ve, parameter.group(1), parameter.group(2));
      }
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

  /** vertx-openapi names the parameter only in its message: "... of query parameter limit is ..." */
  private static final Pattern PARAMETER = Pattern.compile("\\b(query|path|header|cookie) parameter (\\S+)");

  private static ApiException fromParameter(ValidatorException e, String in, String name) {
    String reason = null;
    if (e instanceof SchemaValidationException sve) {
      List<OutputUnit> leaves = new ArrayList<>();
      collectLeaves(sve.getOutputUnit(), leaves);
      OutputUnit unit = mostSpecific(leaves);
      reason = unit == null ? null : unit.getError();
    }
    String message = switch (e.type()) {
      case MISSING_REQUIRED_PARAMETER -> "The " + in + " parameter '" + name + "' is required.";
      default -> "The " + in + " parameter '" + name + "' is not valid" + (reason == null ? "." : ": " + reason);
    };
    return ApiException.badRequest("INVALID_PARAMETER", message, name);
  }

  private static ApiException fromSchema(SchemaValidationException e) {
    List<OutputUnit> leaves = new ArrayList<>();
    collectLeaves(e.getOutputUnit(), leaves);
    OutputUnit unit = mostSpecific(leaves);
    if (unit == null) {
      return ApiException.badRequest("INVALID_REQUEST", cleanMessage(e.getMessage()), null);
    }
    String keyword = String.valueOf(unit.getKeywordLocation());
    String error = String.valueOf(unit.getError());
    String field = pointerToPath(unit.getInstanceLocation());
    Matcher required = REQUIRED.matcher(error);
    if (keyword.endsWith("/required") && required.find()) {
      String missing = field == null || field.isEmpty() ? required.group(1) : field + "." + required.group(1);
      return ApiException.badRequest("INVALID_REQUEST", "'" + missing + "' is required.", missing);
    }
    if (field == null || field.isEmpty()) {
      return ApiException.badRequest("INVALID_REQUEST", "The body is not valid: " + error, null);
    }
    if (keyword.contains("additionalProperties") || keyword.contains("unevaluatedProperties")) {
      return ApiException.badRequest("INVALID_REQUEST", "'" + field + "' is not an accepted field here.", field);
    }
    return ApiException.badRequest("INVALID_REQUEST", "'" + field + "' is not valid: " + error, field);
  }

  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");

  /**
   * Enough errors to choose the most useful one from; a body with 40,000 unknown fields has 40,000,
   * and looking at all of them would only make its rejection slower.
   */
  static final int MAX_ERRORS_LOOKED_AT = 1000;

  private static void collectLeaves(OutputUnit unit, List<OutputUnit> out) {
    if (unit == null || out.size() >= MAX_ERRORS_LOOKED_AT) {
      return;
    }
    if (unit.getErrors() == null || unit.getErrors().isEmpty()) {
      if (unit.getError() != null) {
        out.add(unit);
      }
      return;
    }
    for (OutputUnit child : unit.getErrors()) {
      collectLeaves(child, out);
    }
  }

  /**
   * The error a person can act on: a declared property's own failure (wrong type, pattern) rather
   * than the "additional properties" echo the validator also reports for it, and the deepest location.
   */
  private static OutputUnit mostSpecific(List<OutputUnit> leaves) {
    // one pass to learn which locations have an error of their own, so the choice stays linear
    java.util.Set<String> ownError = new java.util.HashSet<>();
    for (OutputUnit leaf : leaves) {
      if (!String.valueOf(leaf.getKeywordLocation()).contains("additionalProperties")) {
        ownError.add(String.valueOf(leaf.getInstanceLocation()));
      }
    }
    OutputUnit best = null;
    int bestScore = Integer.MIN_VALUE;
    for (OutputUnit leaf : leaves) {
      String keyword = String.valueOf(leaf.getKeywordLocation());
      String instance = String.valueOf(leaf.getInstanceLocation());
      boolean echo = keyword.contains("additionalProperties") && ownError.contains(instance);
      int score = (echo ? -1_000_000 : 0) + instance.length() * 1000 + keyword.length();
      if (score > bestScore) {
        best = leaf;
        bestScore = score;
      }
    }
    return best;
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
