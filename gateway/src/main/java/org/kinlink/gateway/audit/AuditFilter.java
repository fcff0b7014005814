package org.kinlink.gateway.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Which entries a reader wants. Null members do not filter.
 *
 * @param establishment only entries visible to this establishment (its own, or naming it in
 *     {@code details.establishments}); null only for the operator's CLI export
 * @param from entries at or after this time
 * @param to entries strictly before this time
 * @param prisonerId entries about this prisoner
 * @param contactId entries about this contact
 * @param action entries with exactly this action name
 */
public record AuditFilter(String establishment, Instant from, Instant to, String prisonerId, String contactId,
    String action) {

  /** True when {@code entry} passes every filter (times are applied as seq bounds, see {@link AuditReader}). */
  public boolean matches(AuditEntry entry) {
    AuditEvent e = entry.event();
    return (establishment == null || AuditCodec.establishments(e).contains(establishment))
        && (prisonerId == null || prisonerId.equals(e.prisonerId()))
        && (contactId == null || contactId.equals(e.contactId()))
        && (action == null || action.equals(e.action()))
        && (from == null || !entry.at().isBefore(from))
        && (to == null || entry.at().isBefore(to));
  }

  /**
   * Reads a time bound: an ISO-8601 date-time with offset ({@code 2025-01-31T09:00:00Z}) or a date
   * ({@code 2025-01-31}, its start in UTC); {@link IllegalArgumentException} otherwise.
   */
  public static Instant parseTime(String value) {
    return org.kinlink.gateway.http.Values.instant(value);
  }


  /** The filter as audit details (what was asked for, recorded with {@code audit.read}). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("from", from == null ? null : from.toString())
        .put("to", to == null ? null : to.toString())
        .put("prisoner", prisonerId)
        .put("contact", contactId)
        .put("action", action);
  }
}
