package org.kinlink.gateway.contacts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A prisoner's child-contact clearance as stored. Version 0 means never assessed, which reads as
 * {@code NONE}: until staff have assessed a prisoner she has no contact with children (fail closed).
 *
 * @param level NONE, WRITTEN, SUPERVISED or FULL
 */
public record ClearanceRecord(String prisonerId, String level, int version, Instant updatedAt, String updatedBy,
    String reason) {

  /** The record of a prisoner nobody has assessed yet. */
  public static ClearanceRecord unassessed(String prisonerId) {
    return new ClearanceRecord(prisonerId, "NONE", 0, null, null, null);
  }

  /** Reads the stored hash; an empty hash is {@link #unassessed}. */
  public static ClearanceRecord fromHash(String prisonerId, Map<String, String> h) {
    if (h == null || !h.containsKey("level")) {
      return unassessed(prisonerId);
    }
    return new ClearanceRecord(prisonerId, h.get("level"), Integer.parseInt(h.getOrDefault("version", "0")),
        Instant.parse(h.get("updated_at")), h.get("updated_by"), h.get("reason"));
  }

  /** The hash fields, alternating names and values (the write script sets the version). */
  public List<String> fields() {
    return List.of("level", level, "updated_at", updatedAt.toString(), "updated_by", updatedBy, "reason", reason);
  }
}
