package org.kinlink.gateway.people;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A person in custody.
 *
 * @param pinHash Argon2id PHC string of the kiosk PIN; never leaves the gateway
 * @param pinChangeRequired the PIN was set by staff, who know it: her kiosk sign-in gives a session that
 *     may only choose her own PIN ({@code POST /api/v1/auth/pin})
 */
public record Prisoner(String id, String prisonNumber, String name, String establishment, Clearance clearance,
    Set<PrisonerFlag> flags, String pinHash, Instant createdAt, boolean pinChangeRequired) {

  public Prisoner {
    flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
  }

  /** A prisoner whose PIN is her own (or was set before the mark existed). */
  public Prisoner(String id, String prisonNumber, String name, String establishment, Clearance clearance,
      Set<PrisonerFlag> flags, String pinHash, Instant createdAt) {
    this(id, prisonNumber, name, establishment, clearance, flags, pinHash, createdAt, false);
  }

  /** As stored in Redis (with the PIN hash and whether it is one staff set). */
  public JsonObject toStored() {
    return fields().put("pin_hash", pinHash).put("pin_change_required", pinChangeRequired);
  }

  /** As the API shows it to staff: no PIN hash, but whether the PIN is her own ({@code own_pin}) or one staff set. */
  public JsonObject toApi() {
    return fields().put("own_pin", !pinChangeRequired);
  }

  private JsonObject fields() {
    JsonArray f = new JsonArray();
    EnumSet<PrisonerFlag> sorted = flags.isEmpty() ? EnumSet.noneOf(PrisonerFlag.class) : EnumSet.copyOf(flags);
    sorted.forEach(x -> f.add(x.name()));
    return new JsonObject().put("id", id).put("prison_number", prisonNumber).put("name", name)
        .put("establishment", establishment).put("clearance", clearance.name()).put("flags", f)
        .put("created_at", createdAt.toString());
  }

  public static Prisoner fromStored(JsonObject j) {
    EnumSet<PrisonerFlag> flags = EnumSet.noneOf(PrisonerFlag.class);
    j.getJsonArray("flags", new JsonArray()).forEach(x -> flags.add(PrisonerFlag.valueOf((String) x)));
    return new Prisoner(j.getString("id"), j.getString("prison_number"), j.getString("name"), j.getString("establishment"),
        Clearance.valueOf(j.getString("clearance")), flags, j.getString("pin_hash"), Instant.parse(j.getString("created_at")),
        j.getBoolean("pin_change_required", false));
  }

  public Prisoner withClearance(Clearance c) {
    return new Prisoner(id, prisonNumber, name, establishment, c, flags, pinHash, createdAt, pinChangeRequired);
  }

  public Prisoner withFlags(Set<PrisonerFlag> f) {
    return new Prisoner(id, prisonNumber, name, establishment, clearance, f, pinHash, createdAt, pinChangeRequired);
  }

  /** The same prisoner with a new PIN hash: {@code issued} when staff chose it (she must choose her own). */
  public Prisoner withPin(String h, boolean issued) {
    return new Prisoner(id, prisonNumber, name, establishment, clearance, flags, h, createdAt, issued);
  }

  public Prisoner withName(String n) {
    return new Prisoner(id, prisonNumber, n, establishment, clearance, flags, pinHash, createdAt, pinChangeRequired);
  }
}
