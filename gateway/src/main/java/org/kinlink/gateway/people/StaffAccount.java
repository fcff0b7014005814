package org.kinlink.gateway.people;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.kinlink.gateway.identity.Role;

/**
 * A member of staff: always of one establishment, always signs in with password + TOTP.
 *
 * @param passwordHash Argon2id PHC string
 * @param totpSecret base32 TOTP secret
 * @param disabled a disabled account cannot sign in and its sessions are revoked
 * @param passwordChangeRequired the password was issued by someone else (an admin, an operator): its
 *     sign-in gives a session that may only change it
 */
public record StaffAccount(String id, String email, String name, Role role, String establishment,
    String passwordHash, String totpSecret, boolean disabled, Instant createdAt, boolean passwordChangeRequired) {

  /** An account whose password its owner chose (or set up before the mark existed). */
  public StaffAccount(String id, String email, String name, Role role, String establishment,
      String passwordHash, String totpSecret, boolean disabled, Instant createdAt) {
    this(id, email, name, role, establishment, passwordHash, totpSecret, disabled, createdAt, false);
  }

  public JsonObject toStored() {
    return toApi().put("password_hash", passwordHash).put("totp_secret", totpSecret);
  }

  /** As admins see it: no password hash, no TOTP secret. */
  public JsonObject toApi() {
    return new JsonObject().put("id", id).put("email", email).put("name", name).put("role", role.name())
        .put("establishment", establishment).put("disabled", disabled).put("created_at", createdAt.toString())
        .put("password_change_required", passwordChangeRequired);
  }

  public static StaffAccount fromStored(JsonObject j) {
    return new StaffAccount(j.getString("id"), j.getString("email"), j.getString("name"), Role.valueOf(j.getString("role")),
        j.getString("establishment"), j.getString("password_hash"), j.getString("totp_secret"),
        j.getBoolean("disabled", false), Instant.parse(j.getString("created_at")), j.getBoolean("password_change_required", false));
  }

  public StaffAccount with(String newName, Role newRole, boolean newDisabled, String newPasswordHash) {
    return new StaffAccount(id, email, newName, newRole, establishment, newPasswordHash, totpSecret, newDisabled, createdAt,
        passwordChangeRequired);
  }

  /** The same account with a new password hash: {@code issued} when someone else chose it for its owner. */
  public StaffAccount withPassword(String newPasswordHash, boolean issued) {
    return new StaffAccount(id, email, name, role, establishment, newPasswordHash, totpSecret, disabled, createdAt, issued);
  }
}
