package org.kinlink.gateway.contacts;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One kept version of a versioned document (a contact's policy or a prisoner's clearance).
 *
 * @param document the policy document, or {@code {"clearance": LEVEL}}
 * @param action what made this version, e.g. {@code contact.approve}, {@code contact.policy.update}
 */
public record PolicyVersion(int version, JsonObject document, String author, String authorRole, Instant at,
    String reason, String action) {

  /** The stored JSON. */
  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("document", document).put("author", author)
        .put("author_role", authorRole).put("at", at.toString()).put("reason", reason).put("action", action);
  }

  /** Reads {@link #toJson()}. */
  public static PolicyVersion fromJson(JsonObject j) {
    return new PolicyVersion(j.getInteger("version"), j.getJsonObject("document"), j.getString("author"),
        j.getString("author_role"), Instant.parse(j.getString("at")), j.getString("reason"), j.getString("action"));
  }
}
