package org.kinlink.gateway.contacts;

import io.vertx.core.json.JsonObject;

/**
 * What every node hears when a contact's policy or a prisoner's clearance changed: enough to drop
 * cached copies and to tell local listeners (live calls, held messages) what to re-decide.
 *
 * @param kind {@link #CONTACT} or {@link #CLEARANCE}
 * @param contactId the contact (null for a clearance change)
 * @param version the contact's policy version, or the clearance version
 * @param state the contact's state after the change (null for a clearance change)
 * @param clearance the clearance level after the change (null for a contact change)
 * @param revision the prisoner's policy revision after the change (0 when unknown, e.g. re-sent from the outbox)
 */
public record ContactChange(String kind, String prisonerId, String contactId, int version, String state,
    String clearance, long revision) {
  public static final String CONTACT = "contact";
  public static final String CLEARANCE = "clearance";

  /** A contact policy change. */
  public static ContactChange contact(String prisonerId, String contactId, int version, String state, long revision) {
    return new ContactChange(CONTACT, prisonerId, contactId, version, state, null, revision);
  }

  /** A clearance change. */
  public static ContactChange clearance(String prisonerId, int version, String level, long revision) {
    return new ContactChange(CLEARANCE, prisonerId, null, version, null, level, revision);
  }

  /** The same change with the revision the write produced. */
  public ContactChange withRevision(long newRevision) {
    return new ContactChange(kind, prisonerId, contactId, version, state, clearance, newRevision);
  }

  /** Wire form (pub/sub and outbox). */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("kind", kind).put("prisoner_id", prisonerId).put("version", version)
        .put("revision", revision);
    if (contactId != null) {
      j.put("contact_id", contactId).put("state", state);
    }
    if (clearance != null) {
      j.put("clearance", clearance);
    }
    return j;
  }

  /** Reads {@link #toJson()}. */
  public static ContactChange fromJson(JsonObject j) {
    return new ContactChange(j.getString("kind"), j.getString("prisoner_id"), j.getString("contact_id"),
        j.getInteger("version", 0), j.getString("state"), j.getString("clearance"), j.getLong("revision", 0L));
  }

  /** The local event-bus payload: {contact_id, prisoner_id, version, state} (or the clearance fields). */
  public JsonObject eventPayload() {
    JsonObject j = new JsonObject().put("prisoner_id", prisonerId).put("version", version);
    if (CONTACT.equals(kind)) {
      j.put("contact_id", contactId).put("state", state);
    } else {
      j.put("clearance", clearance);
    }
    return j;
  }
}
