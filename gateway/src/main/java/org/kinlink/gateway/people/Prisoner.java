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
 */
public record Prisoner(String id, String prisonNumber, String name, String establishment, Clearance clearance,
    Set<PrisonerFlag> flags, String pinHash, Instant createdAt) {

  public Prisoner {
    flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
  }

  /** As stored in Redis (with the PIN hash). */
  public JsonObject toStored() {
    return toApi().put("pin_hash", pinHash);
  }

  /** As the API shows it to staff (no PIN hash). */
  public JsonObject toApi() {
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
        Clearance.valueOf(j.getString("clearance")), flags, j.getString("pin_hash"), Instant.parse(j.getString("created_at")));
  }

  public Prisoner withClearance(Clearance c) {
    return new Prisoner(id, prisonNumber, name, establishment, c, flags, pinHash, createdAt);
  }

  public Prisoner withFlags(Set<PrisonerFlag> f) {
    return new Prisoner(id, prisonNumber, name, establishment, clearance, f, pinHash, createdAt);
  }

  public Prisoner withPinHash(String h) {
    return new Prisoner(id, prisonNumber, name, establishment, clearance, flags, h, createdAt);
  }

  public Prisoner withName(String n) {
    return new Prisoner(id, prisonNumber, n, establishment, clearance, flags, pinHash, createdAt);
  }
}
