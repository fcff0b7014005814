package org.kinlink.gateway.contacts;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A contact as stored: one prisoner, one other party and the current version of its policy document
 * (which holds the state, the suspension end and the relationship too).
 *
 * @param partyId the other party: a person outside ({@code pe-...}) or, for inter-prison contact, a prisoner ({@code pr-...})
 * @param stateReason why the state last changed (staff only)
 * @param reason why the latest version was written (staff only)
 * @param proposedBy account that proposed the contact
 * @param proposal who a prisoner said the person is ({@code name}, {@code how_to_reach}) when she proposed
 *     without a record to name; {@code partyId} is empty until staff match it to a person. Null otherwise.
 */
public record ContactRecord(String id, String prisonerId, String partyId, String relationship, String state,
    Instant suspendedUntil, String stateReason, int version, JsonObject policy, Instant createdAt, Instant updatedAt,
    String updatedBy, String reason, String proposedBy, String proposedByRole, JsonObject proposal) {

  public ContactRecord {
    partyId = partyId == null ? "" : partyId;
  }

  /** A contact whose party is known from the start. */
  public ContactRecord(String id, String prisonerId, String partyId, String relationship, String state,
      Instant suspendedUntil, String stateReason, int version, JsonObject policy, Instant createdAt, Instant updatedAt,
      String updatedBy, String reason, String proposedBy, String proposedByRole) {
    this(id, prisonerId, partyId, relationship, state, suspendedUntil, stateReason, version, policy, createdAt, updatedAt,
        updatedBy, reason, proposedBy, proposedByRole, null);
  }

  /** True while a prisoner's proposal waits for staff to say which person it is. */
  public boolean unmatched() {
    return partyId.isEmpty();
  }

  /** The same contact, matched to its party. */
  public ContactRecord matchedTo(String party) {
    return new ContactRecord(id, prisonerId, party, relationship, state, suspendedUntil, stateReason, version, policy,
        createdAt, updatedAt, updatedBy, reason, proposedBy, proposedByRole, proposal);
  }

  /** Reads the hash fields written by {@link #fields()}; null when the hash is empty. */
  public static ContactRecord fromHash(Map<String, String> h) {
    if (h == null || h.isEmpty() || !h.containsKey("id")) {
      return null;
    }
    return new ContactRecord(h.get("id"), h.get("prisoner_id"), h.get("party_id"), h.get("relationship"),
        h.get("state"), instant(h.get("suspended_until")), blankToNull(h.get("state_reason")),
        Integer.parseInt(h.getOrDefault("version", "0")), new JsonObject(h.get("policy")),
        instant(h.get("created_at")), instant(h.get("updated_at")), h.get("updated_by"), blankToNull(h.get("reason")),
        h.get("proposed_by"), h.get("proposed_by_role"),
        h.get("proposal") == null || h.get("proposal").isEmpty() ? null : new JsonObject(h.get("proposal")));
  }

  /** Reads a flat [field, value, ...] list as Redis returns a hash from Lua. */
  public static ContactRecord fromFlat(List<?> flat) {
    Map<String, String> h = new java.util.HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      h.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return fromHash(h);
  }

  /** The hash fields, as alternating names and values; the version field is set by the write script. */
  public List<String> fields() {
    List<String> out = new ArrayList<>();
    add(out, "id", id);
    add(out, "prisoner_id", prisonerId);
    add(out, "party_id", partyId);
    add(out, "relationship", relationship);
    add(out, "state", state);
    add(out, "suspended_until", suspendedUntil == null ? "" : suspendedUntil.toString());
    add(out, "state_reason", stateReason == null ? "" : stateReason);
    add(out, "policy", policy.encode());
    add(out, "created_at", createdAt.toString());
    add(out, "updated_at", updatedAt.toString());
    add(out, "updated_by", updatedBy);
    add(out, "reason", reason == null ? "" : reason);
    add(out, "proposed_by", proposedBy);
    add(out, "proposed_by_role", proposedByRole);
    add(out, "proposal", proposal == null ? "" : proposal.encode());
    return out;
  }

  /** The same contact at a new version. */
  public ContactRecord next(JsonObject newPolicy, String newState, Instant newSuspendedUntil, String newStateReason,
      Instant at, String by, String why) {
    return new ContactRecord(id, prisonerId, partyId, relationship, newState, newSuspendedUntil, newStateReason,
        version + 1, newPolicy, createdAt, at, by, why, proposedBy, proposedByRole, proposal);
  }

  private static void add(List<String> out, String k, String v) {
    out.add(k);
    out.add(v == null ? "" : v);
  }

  private static Instant instant(String s) {
    return s == null || s.isEmpty() ? null : Instant.parse(s);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
