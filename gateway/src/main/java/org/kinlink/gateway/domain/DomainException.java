package org.kinlink.gateway.domain;

import io.vertx.core.json.JsonObject;

/**
 * A refusal by a capability's service, in domain terms: what kind of refusal, a stable code, a
 * message for the person who reads it, the field it is about and any details. Services raise it
 * and know nothing of transports; the HTTP layer turns a {@link Kind} into a status code
 * ({@code http.ErrorHandler}), a WebSocket handler into an error frame. This is the template
 * messaging and calls copy from contacts.
 */
public final class DomainException extends RuntimeException {
  /** What kind of refusal this is (each transport decides how to say it). */
  public enum Kind {
    /** The request is malformed or incomplete. */
    INVALID,
    /** The caller may not do this. */
    FORBIDDEN,
    /** No such record, or one the caller may not know exists. */
    NOT_FOUND,
    /** The record is not in a state that allows this (stale version, duplicate, wrong state). */
    CONFLICT,
    /** Well-formed, but against a rule (an invalid policy, an unknown person). */
    REJECTED,
    /** The caller must say which version they are changing. */
    VERSION_REQUIRED,
    /** Something the service needs is not available now; retrying later may work. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final String code;
  private final String field;
  private final JsonObject details;

  public DomainException(Kind kind, String code, String message, String field, JsonObject details) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
    this.field = field;
    this.details = details;
  }

  public static DomainException invalid(String code, String message, String field) {
    return new DomainException(Kind.INVALID, code, message, field, null);
  }

  public static DomainException forbidden(String message) {
    return new DomainException(Kind.FORBIDDEN, "FORBIDDEN", message, null, null);
  }

  public static DomainException notFound(String message) {
    return new DomainException(Kind.NOT_FOUND, "NOT_FOUND", message, null, null);
  }

  public static DomainException conflict(String code, String message) {
    return new DomainException(Kind.CONFLICT, code, message, null, null);
  }

  public static DomainException rejected(String code, String message, String field) {
    return new DomainException(Kind.REJECTED, code, message, field, null);
  }

  public static DomainException versionRequired(String message, String field) {
    return new DomainException(Kind.VERSION_REQUIRED, "PRECONDITION_REQUIRED", message, field, null);
  }

  public static DomainException unavailable(String code, String message) {
    return new DomainException(Kind.UNAVAILABLE, code, message, null, null);
  }

  /** The same refusal with more members for the error object (e.g. {@code current_version}). */
  public DomainException withDetails(JsonObject extra) {
    JsonObject merged = details == null ? extra.copy() : details.copy().mergeIn(extra);
    return new DomainException(kind, code, getMessage(), field, merged);
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  /** Extra members of the error object, or null. */
  public JsonObject details() {
    return details;
  }
}
