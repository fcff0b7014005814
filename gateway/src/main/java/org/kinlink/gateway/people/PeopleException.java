package org.kinlink.gateway.people;

/**
 * A refusal by the people capability, in domain terms: the HTTP module turns it into a status code,
 * a WebSocket handler or the CLI into whatever they answer.
 */
public final class PeopleException extends RuntimeException {
  /** Why. */
  public enum Kind {
    /** No such record in the caller's establishment (or at all: the two are not told apart). */
    NOT_FOUND,
    /** The caller's role may not do this. */
    FORBIDDEN,
    /** Taken: a prison number, email or device id that cannot be registered again. */
    CONFLICT,
    /** The request breaks a rule (field names the part). */
    REFUSED,
    /** The change is saved; its audit entry is not written yet and will be, from the outbox. */
    AUDIT_PENDING,
    /** The store stopped answering during the write: it may or may not have been saved. */
    UNCONFIRMED
  }

  private final Kind kind;
  private final String code;
  private final String field;

  public PeopleException(Kind kind, String code, String message, String field) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.field = field;
  }

  public PeopleException(Kind kind, String code, String message) {
    this(kind, code, message, null);
  }

  static PeopleException notFound() {
    return new PeopleException(Kind.NOT_FOUND, "NOT_FOUND", "No such record in your establishment.");
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }
}
