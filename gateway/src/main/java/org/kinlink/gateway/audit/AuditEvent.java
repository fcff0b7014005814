package org.kinlink.gateway.audit;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.kinlink.gateway.identity.Principal;

/**
 * Something that happened and must be on the record: who did what, to whom, with what outcome.
 *
 * @param action stable action name, e.g. {@code auth.login}, {@code contact.suspend}
 * @param actorId account id, or a description such as {@code kiosk:kiosk-styal-01} before sign-in
 * @param actorRole role name, or {@code ANONYMOUS}
 * @param establishment the establishment whose security staff may read it (null: global, admins only)
 * @param prisonerId the prisoner concerned, if any
 * @param contactId the contact concerned, if any
 * @param outcome e.g. {@code OK}, {@code DENIED}, {@code FAILED}, {@code LOCKED}
 * @param details anything else (reason, before/after, rule ids); never a PIN, password or token
 */
public record AuditEvent(String action, String actorId, String actorRole, String establishment,
    String prisonerId, String contactId, String outcome, JsonObject details) {

  public AuditEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    details = details == null ? new JsonObject() : details.copy();
  }

  /** The change this event records, when it was parked in an {@link AuditOutbox} (its append is idempotent per change). */
  public String changeId() {
    return details.getString(AuditOutbox.CHANGE_ID);
  }

  /** This event with {@code details.change_id} set. */
  public AuditEvent withChangeId(String changeId) {
    return new AuditEvent(action, actorId, actorRole, establishment, prisonerId, contactId, outcome,
        details.copy().put(AuditOutbox.CHANGE_ID, changeId));
  }

  /** Parked form (the outbox), not the chain's stored form ({@link AuditCodec} owns that). */
  public JsonObject toJson() {
    return new JsonObject().put("action", action).put("actor_id", actorId).put("actor_role", actorRole)
        .put("establishment", establishment).put("prisoner_id", prisonerId).put("contact_id", contactId)
        .put("outcome", outcome).put("details", details);
  }

  /** Reads {@link #toJson()}. */
  public static AuditEvent fromJson(JsonObject j) {
    return new AuditEvent(j.getString("action"), j.getString("actor_id"), j.getString("actor_role"),
        j.getString("establishment"), j.getString("prisoner_id"), j.getString("contact_id"), j.getString("outcome"),
        j.getJsonObject("details"));
  }

  /** Starts an event done by a signed-in principal. */
  public static Builder by(Principal principal, String action) {
    return new Builder(action).actor(principal.accountId(), principal.role().name())
        .establishment(principal.establishment());
  }

  /** Starts an event with no signed-in actor (e.g. a failed sign-in). */
  public static Builder of(String action) {
    return new Builder(action);
  }

  /** Fluent construction; unset fields stay null. */
  public static final class Builder {
    private final String action;
    private String actorId;
    private String actorRole = "ANONYMOUS";
    private String establishment;
    private String prisonerId;
    private String contactId;
    private String outcome = "OK";
    private final JsonObject details = new JsonObject();

    private Builder(String action) {
      this.action = action;
    }

    public Builder actor(String id, String role) {
      this.actorId = id;
      this.actorRole = role;
      return this;
    }

    public Builder establishment(String establishment) {
      this.establishment = establishment;
      return this;
    }

    public Builder prisoner(String prisonerId) {
      this.prisonerId = prisonerId;
      return this;
    }

    public Builder contact(String contactId) {
      this.contactId = contactId;
      return this;
    }

    public Builder outcome(String outcome) {
      this.outcome = outcome;
      return this;
    }

    public Builder detail(String key, Object value) {
      details.put(key, value);
      return this;
    }

    public AuditEvent build() {
      return new AuditEvent(action, actorId, actorRole, establishment, prisonerId, contactId, outcome, details);
    }
  }
}
