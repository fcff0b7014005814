package org.kinlink.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Parked;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.StaffAccount;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signed-in person changes their own password ({@code POST /api/v1/auth/password}), or a prisoner
 * her own kiosk PIN ({@code POST /api/v1/auth/pin}): the only thing a session opened with a secret
 * someone else chose (a one-time password, a PIN staff set) may do, and what makes the account its
 * owner's.
 *
 * <p>The current secret is checked like a sign-in: a wrong one counts against the same sign-in name
 * ({@code login:<email>}, or the prisoner's kiosk name) and source, so a stolen session cannot be used
 * to guess it faster than the sign-in could. The new hash and the cleared mark commit together with
 * their audit entry (the directory's outbox); every session of the account then ends on every node and
 * a fresh, full session is answered.
 */
public final class PasswordChangeService {
  private static final Logger log = LoggerFactory.getLogger(PasswordChangeService.class);
  static final String ACTION = "auth.password_change";
  static final String PIN_ACTION = "auth.pin_change";

  private final Vertx vertx;
  private final Clock clock;
  private final Directory directory;
  private final SecretHasher hasher;
  private final AuditOutbox outbox;
  private final Sessions sessions;
  private final SignInGuard guard;
  private final SignInService signIn;

  PasswordChangeService(Vertx vertx, Clock clock, Directory directory, SecretHasher hasher, AuditOutbox outbox,
      Sessions sessions, SignInGuard guard, SignInService signIn) {
    this.guard = guard;
    this.vertx = vertx;
    this.clock = clock;
    this.directory = directory;
    this.hasher = hasher;
    this.outbox = outbox;
    this.sessions = sessions;
    this.signIn = signIn;
  }

  /** Whose password a principal changes: the account's email, its hash and where it belongs. */
  private record Owner(String email, String passwordHash, String establishment) {}

  /** The secret being changed: the words its messages use, its fields, and the reasons its refusals and ended sessions give. */
  private enum Secret {
    PASSWORD("password", "PASSWORD_CHANGED", "BAD_PASSWORD", "current_password", "new_password",
        "WRONG_PASSWORD", "Your current password is not right. Enter the password you signed in with.",
        "PASSWORD_UNCHANGED", "Your new password must be different from your current one."),
    PIN("PIN", "PIN_CHANGED", "BAD_PIN", "current_pin", "new_pin",
        "WRONG_PIN", "That is not the PIN you signed in with. Type it again.",
        "PIN_UNCHANGED", "Your new PIN must be different from the PIN you signed in with.");

    final String word;
    final String revokeReason;
    final String badReason;
    final String currentField;
    final String newField;
    private final String wrongCode;
    private final String wrongMessage;
    private final String unchangedCode;
    private final String unchangedMessage;

    Secret(String word, String revokeReason, String badReason, String currentField, String newField, String wrongCode,
        String wrongMessage, String unchangedCode, String unchangedMessage) {
      this.word = word;
      this.revokeReason = revokeReason;
      this.badReason = badReason;
      this.currentField = currentField;
      this.newField = newField;
      this.wrongCode = wrongCode;
      this.wrongMessage = wrongMessage;
      this.unchangedCode = unchangedCode;
      this.unchangedMessage = unchangedMessage;
    }

    ApiException wrong() {
      return ApiException.unprocessable(wrongCode, wrongMessage, currentField);
    }

    ApiException unchanged() {
      return ApiException.unprocessable(unchangedCode, unchangedMessage, newField);
    }
  }

  /** Changes the principal's password; answers the tokens of a new full session. */
  public Future<JsonObject> change(Principal p, String current, String next, String source) {
    if (p.role() == Role.PRISONER) {
      return Future.failedFuture(ApiException.forbidden("A kiosk PIN is not a password: choose a new PIN at POST "
          + Authenticator.PIN_PATH + "."));
    }
    return owner(p).compose(o -> {
      String name = "login:" + o.email();
      AuditEvent.Builder base = AuditEvent.by(p, ACTION).establishment(o.establishment()).detail("session", p.sessionId());
      // the rule needs no secret: checked before the try is counted (a try begun must end right or wrong)
      String weak = PasswordRule.problem(next, o.email());
      if (weak != null) {
        return Future.failedFuture(ApiException.unprocessable("WEAK_PASSWORD", weak, Secret.PASSWORD.newField));
      }
      return replace(Secret.PASSWORD, name, o.establishment(), base, o.passwordHash(), current, next, source,
          hash -> storePassword(p, o, hash));
    });
  }

  /**
   * Changes a prisoner's kiosk PIN; answers the tokens of a new full session. The current PIN counts
   * against her kiosk sign-in lock (her establishment's kiosks, her prison number) and the source.
   */
  public Future<JsonObject> changePin(Principal p, String current, String next, String source) {
    if (p.role() != Role.PRISONER) {
      return Future.failedFuture(ApiException.forbidden("Only a kiosk sign-in has a PIN: change your password at POST "
          + Authenticator.PASSWORD_PATH + "."));
    }
    return directory.prisoner(p.accountId())
        .map(o -> o.filter(x -> x.establishment().equals(p.establishment())).orElseThrow(() -> new ApiException(401,
            "INVALID_TOKEN", "This account cannot sign in any more. Ask a member of staff.")))
        .compose(prisoner -> {
          String name = SignInService.kioskName(prisoner.establishment(), prisoner.prisonNumber());
          AuditEvent.Builder base = AuditEvent.by(p, PIN_ACTION).prisoner(prisoner.id()).detail("session", p.sessionId());
          PinRule.Problem weak = PinRule.problem(next, prisoner.prisonNumber());
          if (weak != null) {
            return Future.failedFuture(ApiException.unprocessable(weak.code(), weak.message(), Secret.PIN.newField));
          }
          return replace(Secret.PIN, name, prisoner.establishment(), base, prisoner.pinHash(), current, next, source,
              hash -> storePin(p, prisoner, hash));
        });
  }

  /**
   * What a password change and a PIN change share once the new secret passed its rule: the current
   * one checked as a sign-in try under {@code name} (a wrong one counts towards its lock), then the
   * new one hashed and handed to {@code store}. A try begun always ends, right or wrong.
   */
  private Future<JsonObject> replace(Secret secret, String name, String establishment, AuditEvent.Builder base,
      String currentHash, String current, String next, String source, Function<String, Future<JsonObject>> store) {
    return signIn.begin(name, establishment, () -> SignInService.copy(base))
        .compose(v -> hasher.verify(vertx, currentHash, current))
        .compose(ok -> {
          if (!ok) {
            return signIn.failed(name, source, establishment,
                () -> SignInService.copy(base).outcome("FAILED").detail("reason", secret.badReason), secret.wrong());
          }
          Future<Void> tryEnded = guard.succeeded(name);
          return next.equals(current) ? tryEnded.compose(x -> Future.failedFuture(secret.unchanged()))
              : tryEnded.compose(x -> hasher.hash(vertx, next)).compose(store);
        });
  }

  private Future<Owner> owner(Principal p) {
    Future<Optional<Owner>> found = p.role() == Role.OUTSIDE
        ? directory.person(p.accountId()).map(o -> o.filter(PersonOutside::canSignIn)
            .map(x -> new Owner(x.email(), x.passwordHash(), null)))
        : directory.staff(p.accountId()).map(o -> o.map(x -> new Owner(x.email(), x.passwordHash(), x.establishment())));
    return found.map(o -> o.orElseThrow(() -> new ApiException(401, "INVALID_TOKEN",
        "This account cannot sign in any more. Ask an administrator.")));
  }

  /** Writes the new hash and clears the mark with the audit entry, then {@link #finish}. */
  private Future<JsonObject> storePassword(Principal p, Owner o, String hash) {
    AuditEvent.Builder entry = ended(AuditEvent.by(p, ACTION).establishment(o.establishment()), p);
    Future<Optional<Parked>> written = p.role() == Role.OUTSIDE
        ? directory.updatePerson(p.accountId(), unchangedSince(o.passwordHash(), PersonOutside::passwordHash, Secret.PASSWORD,
            x -> x.withPassword(hash, false)), (before, after) -> park(entry, before.passwordChangeRequired()))
            .map(a -> a.map(Directory.Audited::parked))
        : directory.updateStaff(p.accountId(), unchangedSince(o.passwordHash(), StaffAccount::passwordHash, Secret.PASSWORD,
            x -> x.withPassword(hash, false)), (before, after) -> park(entry, before.passwordChangeRequired()))
            .map(a -> a.map(Directory.Audited::parked));
    return finish(p, written, Secret.PASSWORD);
  }

  /** Writes the new PIN hash and clears the mark with the audit entry (never the PIN), then {@link #finish}. */
  private Future<JsonObject> storePin(Principal p, Prisoner prisoner, String hash) {
    AuditEvent.Builder entry = ended(AuditEvent.by(p, PIN_ACTION).prisoner(prisoner.id()), p);
    Future<Optional<Parked>> written = directory.updatePrisoner(prisoner.id(),
        unchangedSince(prisoner.pinHash(), Prisoner::pinHash, Secret.PIN, x -> x.withPin(hash, false)),
        (before, after) -> park(entry, before.pinChangeRequired())).map(a -> a.map(Directory.Audited::parked));
    return finish(p, written, Secret.PIN);
  }

  private static AuditEvent.Builder ended(AuditEvent.Builder entry, Principal p) {
    return entry.detail("account", p.accountId()).detail("session", p.sessionId()).detail("sessions_ended", true);
  }

  /** Once the write is committed: ends every session of the account, completes the audit entry, opens a full session. */
  private Future<JsonObject> finish(Principal p, Future<Optional<Parked>> written, Secret secret) {
    return written.recover(e -> Future.failedFuture(e instanceof StoreUnavailableException
            ? new ApiException(503, "WRITE_UNCONFIRMED", "The data store stopped answering while saving: your " + secret.word
                + " may or may not have changed. Try signing in with the new one first.") : e))
        .compose(parked -> {
          Parked change = parked.orElseThrow(() -> new ApiException(401, "INVALID_TOKEN", "This account no longer exists."));
          // the other sessions may have been opened by whoever knew the old secret: all of them end
          return signIn.revokeAccount(p.accountId(), secret.revokeReason)
              .compose(v -> outbox.complete(Keys.dirAuditOutbox(), change.entry()).recover(e -> {
                log.warn("{} change {} is saved but its audit entry is pending (the outbox completes it)", secret.word,
                    change.changeId(), e);
                return Future.failedFuture(new ApiException(503, "AUDIT_PENDING", "Your new " + secret.word + " is saved, but "
                    + "the record of the change could not be written yet. Sign in with your new " + secret.word
                    + "; do not change it again."));
              }))
              .compose(v -> sessions.start(p.accountId(), p.role(), p.establishment(), p.personId()))
              .map(signIn::tokensJson);
        });
  }

  /** The change, unless the secret changed since it was checked (an admin's or officer's reset meanwhile): then refused. */
  private static <T> UnaryOperator<T> unchangedSince(String checkedHash, Function<T, String> hashOf, Secret secret,
      UnaryOperator<T> change) {
    return before -> {
      if (!checkedHash.equals(hashOf.apply(before))) {
        throw ApiException.conflict("SIGN_IN_CHANGED", "Your sign-in was changed while you were choosing a " + secret.word
            + " (" + (secret == Secret.PIN ? "a member of staff" : "an administrator") + " may have reset it). Sign in again.");
      }
      return change.apply(before);
    };
  }

  private Parked park(AuditEvent.Builder entry, boolean wasOneTime) {
    return Parked.of(SignInService.copy(entry).detail("was_one_time", wasOneTime).build(), clock.millis());
  }
}
