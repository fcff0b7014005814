package org.kinlink.gateway.auth;

import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.identity.Principal;
import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.crypto.AeadException;
import org.kinlink.gateway.crypto.SecretBox;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.StaffAccount;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * Kiosk (prison number + PIN on an enrolled device) and password (+ TOTP) sign-in, token refresh and
 * sign-out. Every outcome is audited before the client hears it; PINs, passwords, codes and tokens
 * never reach the log. A failed sign-in says the same thing whether or not the account exists, and
 * checks a dummy hash for unknown accounts so the answer takes as long.
 */
public final class SignInService {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SignInService.class);
  private static final LuaScript TOTP_USE = LuaScript.load("auth-totp-use");
  private static final String BAD_CREDENTIALS = "The sign-in details are not right. Check them and try again.";

  private final Vertx vertx;
  private final Redis redis;
  private final Clock clock;
  private final Directory directory;
  private final SecretHasher hasher;
  private final SignInGuard guard;
  private final Sessions sessions;
  private final AccessTokens tokens;
  private final RevocationCache revocations;
  private final AuditLog audit;
  private final KioskChallenges challenges;
  private final SecretBox totpSecrets;

  public SignInService(Vertx vertx, Redis redis, Clock clock, Directory directory, SecretHasher hasher, SignInGuard guard,
      Sessions sessions, AccessTokens tokens, RevocationCache revocations, AuditLog audit, SecretBox totpSecrets) {
    this.totpSecrets = totpSecrets;
    this.challenges = new KioskChallenges(redis, clock);
    this.vertx = vertx;
    this.redis = redis;
    this.clock = clock;
    this.directory = directory;
    this.hasher = hasher;
    this.guard = guard;
    this.sessions = sessions;
    this.tokens = tokens;
    this.revocations = revocations;
    this.audit = audit;
  }

  // --- kiosk ---

  /** Issues a sign-in challenge to an enrolled kiosk; unknown and withdrawn devices are refused. */
  public Future<JsonObject> kioskChallenge(String deviceId, String source) {
    return checkSource(source, () -> AuditEvent.of("auth.kiosk_challenge").actor("kiosk:" + deviceId, "ANONYMOUS")
        .detail("device_id", deviceId))
        .compose(v -> directory.device(deviceId))
        .compose(device -> {
          if (device.isEmpty() || !device.get().usable()) {
            return guard.sourceFailed(source).compose(x -> Future.failedFuture(notEnrolled()));
          }
          return challenges.issue(device.get())
              .map(nonce -> new JsonObject().put("nonce", nonce).put("expires_in", KioskChallenges.TTL.toSeconds()));
        });
  }

  /**
   * Signs a prisoner in on a kiosk; answers the tokens JSON. In order, each step refusing before
   * the next: the source address, the device (enrolled, with a key), its proof (a fresh nonce
   * signed by its key), the sign-in lock, the prisoner's establishment (another establishment's
   * kiosk never gets to the PIN), and only then the PIN.
   */
  public Future<JsonObject> kiosk(String prisonNumberRaw, String pin, String deviceId, String nonce, String signature, String source) {
    String number = PrisonNumber.normalize(prisonNumberRaw);
    if (number == null) {
      return Future.failedFuture(ApiException.badRequest("INVALID_REQUEST",
          "'prison_number' is not valid: a letter, four digits and two letters, like A1234BC.", "prison_number"));
    }
    return checkSource(source, () -> AuditEvent.of("auth.kiosk").actor("kiosk:" + deviceId, "ANONYMOUS")
        .detail("device_id", deviceId).detail("prison_number", number))
        .compose(v -> directory.device(deviceId))
        .compose(device -> {
          if (device.isEmpty() || !device.get().usable()) {
            String reason = device.isEmpty() ? "UNKNOWN_DEVICE" : "DEVICE_NOT_ENROLLED";
            AuditEvent e = AuditEvent.of("auth.kiosk").actor("kiosk:" + deviceId, "ANONYMOUS")
                .establishment(device.map(KioskDevice::establishment).orElse(null)).outcome("FAILED")
                .detail("reason", reason).detail("device_id", deviceId).detail("prison_number", number).build();
            return guard.sourceFailed(source).compose(x -> refuse(e, notEnrolled()));
          }
          KioskDevice d = device.get();
          return challenges.verify(d, nonce, signature).compose(problem -> {
            if (problem == null) {
              return kioskOnDevice(d, number, pin, source);
            }
            // a bad proof says nothing about the prisoner: not a PIN try, not named in the entry
            AuditEvent e = AuditEvent.of("auth.kiosk").actor("kiosk:" + deviceId, "ANONYMOUS").establishment(d.establishment())
                .outcome("FAILED").detail("reason", "BAD_DEVICE_PROOF").detail("proof", problem.name()).detail("device_id", deviceId).build();
            return guard.sourceFailed(source).compose(x -> refuse(e, new ApiException(401, "INVALID_DEVICE_PROOF",
                "This kiosk could not prove that it is enrolled. Try again; if it keeps happening, ask a member of staff.")));
          });
        });
  }

  /**
   * The throttle name of a prison number tried on a kiosk of {@code establishment}. Scoped by the
   * kiosk's establishment so that tries from another prison's kiosks (which never reach the PIN)
   * can never lock the prisoner out, while unknown numbers and other establishments' numbers
   * lock exactly alike, so a lock tells nothing about where a number belongs.
   */
  static String kioskName(String establishment, String number) {
    return "kiosk:" + establishment + ":" + number;
  }

  private Future<JsonObject> kioskOnDevice(KioskDevice device, String number, String pin, String source) {
    String name = kioskName(device.establishment(), number);
    AuditEvent.Builder base = AuditEvent.of("auth.kiosk").actor("kiosk:" + device.id(), "ANONYMOUS")
        .establishment(device.establishment()).detail("device_id", device.id()).detail("prison_number", number);
    return begin(name, device.establishment(), () -> copy(base)).compose(v -> directory.prisonerByNumber(number))
        .compose(found -> {
          // another establishment's prisoner is treated as unknown here: her PIN is not checked (a
          // dummy hash keeps the timing alike), her lock is not touched, and she is not named
          boolean ours = found.isPresent() && found.get().establishment().equals(device.establishment());
          Optional<Prisoner> prisoner = ours ? found : Optional.empty();
          return hasher.verify(vertx, prisoner.map(Prisoner::pinHash).orElse(null), pin).compose(pinOk -> {
            String reason = found.isEmpty() ? "UNKNOWN_PRISON_NUMBER" : !ours ? "WRONG_ESTABLISHMENT" : !pinOk ? "BAD_PIN" : null;
            if (ours) {
              base.prisoner(prisoner.get().id());
            }
            if (reason != null) {
              return failed(name, source, device.establishment(), () -> copy(base).outcome("FAILED").detail("reason", reason),
                  new ApiException(401, "INVALID_CREDENTIALS", BAD_CREDENTIALS));
            }
            Prisoner p = prisoner.get();
            // a PIN staff set opens a session that may only choose her own (see Authenticator)
            boolean oneTime = p.pinChangeRequired();
            return guard.succeeded(name)
                .compose(x -> sessions.start(p.id(), Role.PRISONER, p.establishment(), p.id(), oneTime))
                .compose(started -> audit.append(AuditEvent.by(started.principal(), "auth.kiosk").prisoner(p.id())
                        .detail("device_id", device.id()).detail("session", started.principal().sessionId())
                        .detail("pin_change_required", oneTime).build())
                    .map(x -> tokensJson(started)));
          });
        });
  }

  /** The account's TOTP secret in clear; null (so no code matches) when it cannot be opened. */
  private String openTotp(String accountId, String stored) {
    try {
      return totpSecrets.open(Directory.totpContext(accountId), stored);
    } catch (AeadException e) {
      log.error("the TOTP secret of account {} cannot be opened: {}", accountId, e.getMessage());
      return null;
    }
  }

  private static ApiException notEnrolled() {
    return new ApiException(401, "DEVICE_NOT_ENROLLED", "This device is not enrolled for sign-in. Ask a member of staff.");
  }

  // --- email + password (+ TOTP) ---

  /** Signs in a person outside or a member of staff; answers the tokens JSON. */
  public Future<JsonObject> login(String emailRaw, String password, String otp, String source) {
    String email = Directory.normalizeEmail(emailRaw);
    String name = "login:" + email;
    AuditEvent.Builder base = AuditEvent.of("auth.login").actor("email:" + email, "ANONYMOUS").detail("email", email);
    return checkSource(source, () -> copy(base))
        .compose(v -> begin(name, null, () -> copy(base)))
        .compose(v -> directory.accountByEmail(email))
        .compose(account -> {
          String hash = account.map(SignInService::passwordHashOf).orElse(null);
          return hasher.verify(vertx, hash, password).compose(ok -> {
            if (!ok) {
              return failed(name, source, establishmentOf(account), () -> copy(base).establishment(establishmentOf(account))
                  .outcome("FAILED").detail("reason", account.isEmpty() || hash == null ? "UNKNOWN_ACCOUNT" : "BAD_PASSWORD"),
                  new ApiException(401, "INVALID_CREDENTIALS", BAD_CREDENTIALS));
            }
            return afterPassword(account.get(), otp, name, source, base);
          });
        });
  }

  private Future<JsonObject> afterPassword(Directory.Account account, String otp, String name, String source, AuditEvent.Builder base) {
    StaffAccount staff = account.staff();
    PersonOutside person = account.person();
    String accountId = staff != null ? staff.id() : person.id();
    String establishment = staff != null ? staff.establishment() : null;
    base.actor(accountId, staff != null ? staff.role().name() : Role.OUTSIDE.name()).establishment(establishment);
    if (staff != null && staff.disabled()) {
      return failed(name, source, establishment, () -> copy(base).outcome("FAILED").detail("reason", "ACCOUNT_DISABLED"),
          new ApiException(401, "INVALID_CREDENTIALS", BAD_CREDENTIALS));
    }
    String secret = openTotp(accountId, staff != null ? staff.totpSecret() : person.needsOtp() ? person.totpSecret() : null);
    boolean needsOtp = staff != null || person.needsOtp();
    if (needsOtp && (otp == null || otp.isEmpty())) {
      // the password was right: not a wrong try, but no session until the code comes
      return guard.undo(name).compose(x -> refuse(copy(base).outcome("OTP_REQUIRED").build(),
          new ApiException(401, "OTP_REQUIRED", "Enter the 6-digit code from your authenticator app.", "otp", null, null)));
    }
    Future<String> otpProblem = Future.succeededFuture(null);
    if (needsOtp) {
      OptionalLong step = secret == null ? OptionalLong.empty() : Totp.match(secret, otp, clock.instant());
      otpProblem = step.isEmpty() ? Future.succeededFuture("BAD_OTP")
          : redis.<Long>eval(TOTP_USE, ScriptOutputType.INTEGER, new String[] {Keys.totpLastStep(accountId)},
              Long.toString(step.getAsLong()), Long.toString(Duration.ofMinutes(5).toMillis()))
              .map(r -> r == 1 ? null : "OTP_REUSED");
    }
    return otpProblem.compose(problem -> {
      if (problem != null) {
        return failed(name, source, establishment, () -> copy(base).outcome("FAILED").detail("reason", problem),
            new ApiException(401, "INVALID_OTP", "That code is not right or was already used. Wait for the next code and try again.", "otp", null, null));
      }
      Role role = staff != null ? staff.role() : Role.OUTSIDE;
      String personId = staff != null ? null : person.id();
      // a password someone else chose opens a session that may only change it (see Authenticator)
      boolean oneTime = staff != null ? staff.passwordChangeRequired() : person.passwordChangeRequired();
      return guard.succeeded(name)
          .compose(x -> sessions.start(accountId, role, establishment, personId, oneTime))
          .compose(started -> audit.append(AuditEvent.by(started.principal(), "auth.login")
                  .detail("session", started.principal().sessionId()).detail("second_factor", needsOtp)
                  .detail("password_change_required", oneTime).build())
              .map(x -> tokensJson(started)));
    });
  }

  // --- refresh and sign-out ---

  /** Rotates a refresh token; a reused one revokes its whole session. */
  public Future<JsonObject> refresh(String refreshToken) {
    return sessions.rotate(refreshToken).compose(r -> switch (r.outcome()) {
      case OK -> Future.succeededFuture(tokensJson(r.principal(), r.refreshToken(), r.passwordChangeOnly()));
      case REUSE -> revocations.publish(r.principal().sessionId()).otherwiseEmpty()
          .compose(x -> refuse(AuditEvent.by(r.principal(), "auth.refresh_reuse").outcome("REVOKED")
              .prisoner(r.principal().role() == Role.PRISONER ? r.principal().personId() : null)
              .detail("session", r.principal().sessionId())
              .detail("reason", "A refresh token was presented after it had been rotated: it may have been copied. The whole session is revoked.")
              .build(), invalidToken("This refresh token is no longer valid. Sign in again.")));
      default -> Future.failedFuture(invalidToken("This refresh token is no longer valid. Sign in again."));
    });
  }

  /** Revokes the caller's session on every node. */
  public Future<Void> logout(Principal principal) {
    return sessions.revoke(principal.sessionId(), "LOGOUT")
        .compose(prev -> revocations.publish(principal.sessionId()))
        .compose(x -> audit.append(AuditEvent.by(principal, "auth.logout").outcome("REVOKED")
            .prisoner(principal.role() == Role.PRISONER ? principal.personId() : null)
            .detail("session", principal.sessionId()).build()))
        .mapEmpty();
  }

  /** Revokes every session of an account (e.g. when staff disable it); the caller audits the change. */
  public Future<Void> revokeAccount(String accountId, String reason) {
    return sessions.sessionsOf(accountId).compose(sids -> {
      Future<Void> all = Future.succeededFuture();
      for (String sid : sids) {
        all = all.compose(x -> sessions.revoke(sid, reason)).compose(x -> revocations.publish(sid));
      }
      return all;
    });
  }

  /** Lifts a sign-in lock early (staff action) and audits its end; answers whether there was one. */
  public Future<Boolean> liftKioskLock(Principal staff, Prisoner prisoner) {
    return guard.lift(kioskName(prisoner.establishment(), prisoner.prisonNumber())).compose(end -> {
      if (end == null) {
        return Future.succeededFuture(false);
      }
      return audit.append(AuditEvent.by(staff, "auth.lock_ended").prisoner(prisoner.id()).outcome("LIFTED")
          .detail("sign_in", "kiosk").detail("was_until", end.toString()).build()).map(x -> true);
    });
  }

  // --- shared steps ---

  private Future<Void> checkSource(String source, java.util.function.Supplier<AuditEvent.Builder> event) {
    return guard.sourceBlockedUntil(source).compose(until -> {
      if (until == null) {
        return Future.succeededFuture();
      }
      Duration wait = Duration.between(clock.instant(), until);
      return refuse(event.get().outcome("LOCKED").detail("reason", "SOURCE_LIMITED").detail("source", source).build(),
          ApiException.tooManyRequests("Too many failed sign-ins from this address. Wait a while and try again.", wait));
    });
  }

  /** Refuses (429, audited) while the sign-in name is locked; a lock that ran out is audited as ended. */
  Future<Void> begin(String name, String establishment, java.util.function.Supplier<AuditEvent.Builder> event) {
    return guard.begin(name).compose(start -> {
      Future<Void> ended = start.endedLock() == null ? Future.succeededFuture()
          : audit.append(as(event.get(), "auth.lock_ended").establishment(establishment).outcome("ENDED")
              .detail("was_until", start.endedLock().toString()).build()).mapEmpty();
      return ended.compose(x -> {
        if (!start.refused()) {
          return Future.succeededFuture();
        }
        Future<Void> lockAudit = start.lockedNow()
            ? audit.append(as(event.get(), "auth.lock").establishment(establishment).outcome("LOCKED")
                .detail("until", start.lockedUntil().toString()).detail("reason", "TOO_MANY_TRIES").build()).mapEmpty()
            : Future.succeededFuture();
        return lockAudit.compose(y -> refuse(event.get().establishment(establishment).outcome("LOCKED")
            .detail("reason", "LOCKED").detail("until", start.lockedUntil().toString()).build(), locked(start.lockedUntil())));
      });
    });
  }

  /** A wrong secret: counted against the name and the source, audited, answered (or 429 when it locks the name). */
  <T> Future<T> failed(String name, String source, String establishment,
      java.util.function.Supplier<AuditEvent.Builder> event, ApiException answer) {
    return guard.sourceFailed(source).compose(x -> guard.failed(name)).compose(f -> {
      Future<?> first = audit.append(event.get().build());
      if (f.lockedUntil() == null) {
        return first.compose(x -> Future.failedFuture(answer));
      }
      AuditEvent base = event.get().build();
      AuditEvent lock = new AuditEvent("auth.lock", base.actorId(), base.actorRole(), establishment, base.prisonerId(), null,
          "LOCKED", base.details().copy().put("until", f.lockedUntil().toString()).put("reason", "TOO_MANY_TRIES"));
      return first.compose(x -> audit.append(lock)).compose(x -> Future.failedFuture(locked(f.lockedUntil())));
    });
  }

  private ApiException locked(Instant until) {
    Duration wait = Duration.between(clock.instant(), until);
    return new ApiException(429, "SIGN_IN_LOCKED", "Too many wrong tries. Sign-in is paused for "
        + Math.max(1, (wait.toSeconds() + 59) / 60) + " minutes; try again after that or ask staff.", null, wait, null);
  }

  private static ApiException invalidToken(String message) {
    return new ApiException(401, "INVALID_TOKEN", message);
  }

  private <T> Future<T> refuse(AuditEvent event, ApiException answer) {
    return audit.append(event).compose(x -> Future.failedFuture(answer));
  }

  /** The tokens answer of a session just opened. */
  JsonObject tokensJson(Sessions.Started started) {
    return tokensJson(started.principal(), started.refreshToken(), started.passwordChangeOnly());
  }

  private JsonObject tokensJson(Principal p, String refreshToken, boolean passwordChangeOnly) {
    // a prisoner's secret is her PIN: the answer names which one must be changed
    return new JsonObject().put("access_token", tokens.issue(p, passwordChangeOnly)).put("refresh_token", refreshToken)
        .put("expires_in", tokens.ttl().toSeconds()).put("token_type", "Bearer")
        .put(p.role() == Role.PRISONER ? "pin_change_required" : "password_change_required", passwordChangeOnly);
  }

  private static String passwordHashOf(Directory.Account a) {
    if (a.staff() != null) {
      return a.staff().passwordHash();
    }
    return a.person().canSignIn() ? a.person().passwordHash() : null;
  }

  private static String establishmentOf(Optional<Directory.Account> a) {
    return a.map(x -> x.staff() != null ? x.staff().establishment() : null).orElse(null);
  }

  static AuditEvent.Builder copy(AuditEvent.Builder b) {
    return as(b, b.build().action());
  }

  /** A copy of the builder's event under another action name. */
  private static AuditEvent.Builder as(AuditEvent.Builder b, String action) {
    AuditEvent e = b.build();
    AuditEvent.Builder c = AuditEvent.of(action).actor(e.actorId(), e.actorRole()).establishment(e.establishment())
        .prisoner(e.prisonerId()).contact(e.contactId()).outcome(e.outcome());
    e.details().forEach(kv -> c.detail(kv.getKey(), kv.getValue()));
    return c;
  }
}
