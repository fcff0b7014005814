package org.kinlink.gateway.people;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A person outside prison. Children have no sign-in (no email or password); a parent who is himself
 * in another prison is a PARENT linked to that prisoner ({@code prisonerId}) and signs in as the prisoner.
 *
 * @param email lower-cased sign-in name, or null
 * @param passwordHash Argon2id PHC string, or null (no sign-in)
 * @param totpSecret base32 TOTP secret for professionals, or null
 * @param verified whether staff have checked who this person is (needed before first contact)
 * @param establishments the establishments whose staff may see this record
 * @param passwordChangeRequired the password was chosen by staff: its sign-in gives a session that may only change it
 */
public record PersonOutside(String id, PersonKind kind, String name, String email, String passwordHash,
    String totpSecret, boolean verified, String prisonerId, List<String> establishments, Instant createdAt,
    boolean passwordChangeRequired) {

  public PersonOutside {
    establishments = List.copyOf(establishments);
  }

  /** A person whose password (if any) they chose themselves (or set before the mark existed). */
  public PersonOutside(String id, PersonKind kind, String name, String email, String passwordHash,
      String totpSecret, boolean verified, String prisonerId, List<String> establishments, Instant createdAt) {
    this(id, kind, name, email, passwordHash, totpSecret, verified, prisonerId, establishments, createdAt, false);
  }

  /** The same person with a new password hash: {@code issued} when staff chose it for them. */
  public PersonOutside withPassword(String newPasswordHash, boolean issued) {
    return new PersonOutside(id, kind, name, email, newPasswordHash, totpSecret, verified, prisonerId, establishments, createdAt, issued);
  }

  /** True when this person may sign in with email and password. */
  public boolean canSignIn() {
    return kind.maySignIn() && email != null && passwordHash != null;
  }

  /** True when sign-in needs a second factor. */
  public boolean needsOtp() {
    return kind.isProfessional();
  }

  public JsonObject toStored() {
    return toApi().put("password_hash", passwordHash).put("totp_secret", totpSecret);
  }

  /** As staff see it: no secrets, but whether a second factor is set up. */
  public JsonObject toApi() {
    JsonObject j = new JsonObject().put("id", id).put("kind", kind.name()).put("name", name)
        .put("verified", verified).put("establishments", new JsonArray(establishments))
        .put("can_sign_in", canSignIn()).put("created_at", createdAt.toString());
    if (canSignIn()) {
      j.put("password_change_required", passwordChangeRequired);
    }
    if (email != null) {
      j.put("email", email);
    }
    if (prisonerId != null) {
      j.put("prisoner_id", prisonerId);
    }
    return j;
  }

  public static PersonOutside fromStored(JsonObject j) {
    return new PersonOutside(j.getString("id"), PersonKind.valueOf(j.getString("kind")), j.getString("name"),
        j.getString("email"), j.getString("password_hash"), j.getString("totp_secret"), j.getBoolean("verified", false),
        j.getString("prisoner_id"), j.getJsonArray("establishments", new JsonArray()).stream().map(String.class::cast).toList(),
        Instant.parse(j.getString("created_at")), j.getBoolean("password_change_required", false));
  }
}
