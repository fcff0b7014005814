package org.kinlink.gateway.contacts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.policy.PartyRefs;
import org.kinlink.policy.PolicyDocuments;
import org.kinlink.policy.model.ContactPolicy;

/**
 * How contacts, policies and clearance look through the API. Staff see everything of their
 * establishment; prisoners and people outside never see staff reasons (why a contact was suspended,
 * who asked) nor any policy document.
 */
public final class ContactViews {
  private ContactViews() {}

  /** True when this principal may see this contact at all (establishment checks are the caller's). */
  public static boolean visibleTo(Principal p, ContactRecord c) {
    return switch (p.role()) {
      case PRISONER -> c.prisonerId().equals(p.personId())
          && ("APPROVED".equals(c.state()) || ("PENDING".equals(c.state()) && p.accountId().equals(c.proposedBy())));
      case OUTSIDE -> c.partyId().equals(p.personId()) && "APPROVED".equals(c.state());
      default -> true;
    };
  }

  /** The contact object of the API contract, trimmed for people who are not staff. */
  public static JsonObject contact(Principal viewer, ContactRecord c, Parties.PartyInfo party,
      Parties.PrisonerInfo prisoner, String proposerName) {
    JsonObject person = new JsonObject().put("id", c.unmatched() ? null : c.partyId())
        .put("name", party != null ? party.name() : c.proposal() == null ? null : c.proposal().getString("name"))
        .put("kind", party == null ? null : party.kind());
    if (party != null && party.isPrisoner()) {
      person.put("prison_number", party.prisoner().prisonNumber());
    }
    JsonObject j = new JsonObject().put("id", c.id()).put("prisoner_id", c.prisonerId())
        .put("prison_number", prisoner == null ? null : prisoner.prisonNumber())
        .put("prisoner_name", prisoner == null ? null : prisoner.name())
        .put("person", person).put("relationship", c.relationship()).put("state", c.state())
        .put("suspended_until", c.suspendedUntil() == null ? null : c.suspendedUntil().toString())
        .put("policy_version", c.version()).put("created_at", c.createdAt().toString())
        .put("updated_at", c.updatedAt().toString());
    if (c.proposal() != null && (viewer.isStaff() || viewer.accountId().equals(c.proposedBy()))) {
      // what the prisoner said, kept after staff matched it so they can see why they chose that record
      j.put("proposal", c.proposal().copy().put("matched", !c.unmatched()));
    }
    if (viewer.isStaff()) {
      j.put("state_reason", c.stateReason()).put("proposed_by", new JsonObject()
          .put("name", proposerName).put("role", c.proposedByRole()));
    } else if (viewer.role() == Role.PRISONER || viewer.role() == Role.OUTSIDE) {
      j.put("proposed_by_me", viewer.accountId().equals(c.proposedBy()));
    }
    return j;
  }

  /**
   * {@code GET /contacts/{id}/policy}: the current document, its summary and who wrote it why.
   *
   * @param names never-together engine ids and account ids -> what the reader sees
   */
  public static JsonObject policy(ContactRecord c, ContactPolicy parsed, Map<String, String> names) {
    return new JsonObject().put("contact_id", c.id()).put("version", c.version()).put("policy", document(parsed))
        .put("summary", new JsonArray(PolicySummary.of(parsed, id -> names.getOrDefault(id, PartyRefs.toDocument(id)))))
        .put("updated_at", c.updatedAt().toString())
        .put("updated_by", names.getOrDefault(c.updatedBy(), c.updatedBy())).put("reason", c.reason());
  }

  /** One entry of {@code GET /contacts/{id}/policy/versions} (the document in its current form, names as in {@link #policy}). */
  public static JsonObject version(PolicyVersion v, ContactPolicy parsed, Map<String, String> names) {
    return new JsonObject().put("version", v.version()).put("policy", parsed == null ? v.document() : document(parsed))
        .put("summary", new JsonArray(parsed == null ? List.of()
            : PolicySummary.of(parsed, id -> names.getOrDefault(id, PartyRefs.toDocument(id)))))
        .put("author", names.getOrDefault(v.author(), v.author())).put("author_role", v.authorRole())
        .put("at", v.at().toString()).put("reason", v.reason()).put("action", v.action());
  }

  /** A prisoner's clearance as staff see it. */
  public static JsonObject clearance(ClearanceRecord r, String effectiveLevel, Map<String, String> names) {
    return new JsonObject().put("prisoner_id", r.prisonerId()).put("clearance", effectiveLevel)
        .put("version", r.version()).put("assessed", r.version() > 0)
        .put("updated_at", r.updatedAt() == null ? null : r.updatedAt().toString())
        .put("updated_by", r.updatedBy() == null ? null : names.getOrDefault(r.updatedBy(), r.updatedBy()))
        .put("reason", r.reason());
  }

  /** One entry of {@code GET /prisoners/{id}/clearance/versions}. */
  public static JsonObject clearanceVersion(PolicyVersion v, Map<String, String> names) {
    return new JsonObject().put("version", v.version()).put("clearance", v.document().getString("clearance"))
        .put("author", names.getOrDefault(v.author(), v.author())).put("author_role", v.authorRole())
        .put("at", v.at().toString()).put("reason", v.reason());
  }

  /** The stored (and served) form of a policy document: the policy module's canonical JSON. */
  public static JsonObject document(ContactPolicy policy) {
    return new JsonObject(PolicyDocuments.toJson(policy));
  }
}
