package org.kinlink.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Parked;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.StaffAccount;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signed-in person changes their own password ({@code POST /api/v1/auth/password}): the only thing
 * a session opened with a one-time password may do, and what makes the account its owner's.
 *
 * <p>The current password is checked like a sign-in: a wrong one counts against the same sign-in
 * name ({@code login:<email>}) and source, so a stolen session cannot be used to guess it faster than
 * the sign-in form could. The new hash and the cleared mark commit together with their audit entry
 * (the directory's outbox); every session of the account then ends on every node and a fresh, full
 * session is answered.
 */
public final class PasswordChangeService {
  private static final Logger log = LoggerFactory.getLogger(PasswordChangeService.class);
  static final String ACTION = "auth.password_change";

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

  /** Changes the principal's password; answers the tokens of a new full session. */
  public Future<JsonObject> change(Principal p, String current, String next, String source) {
    if (p.role() == Role.PRISONER) {
      return Future.failedFuture(ApiException.forbidden("A kiosk PIN is changed by staff, not here."));
    }
    return owner(p).compose(o -> {
      String name = "login:" + o.email();
      AuditEvent.Builder base = AuditEvent.by(p, ACTION).establishment(o.establishment()).detail("session", p.sessionId());
      return signIn.begin(name, o.establishment(), () -> SignInService.copy(base))
          .compose(v -> {
            String weak = PasswordRule.problem(next, o.email());
            return weak == null ? Future.succeededFuture() : Future.failedFuture(ApiException.unprocessable("WEAK_PASSWORD", weak, "new_password"));
          })
          .compose(v -> hasher.verify(vertx, o.passwordHash(), current))
          .compose(ok -> {
            if (!ok) {
              return signIn.failed(name, source, o.establishment(),
                  () -> SignInService.copy(base).outcome("FAILED").detail("reason", "BAD_PASSWORD"),
                  ApiException.unprocessable("WRONG_PASSWORD", "Your current password is not right. Enter the password you "
                      + "signed in with.", "current_password"));
            }
            if (next.equals(current)) {
              return Future.failedFuture(ApiException.unprocessable("PASSWORD_UNCHANGED",
                  "Your new password must be different from your current one.", "new_password"));
            }
            return guard.succeeded(name).compose(x -> hasher.hash(vertx, next))
                .compose(hash -> store(p, o, hash));
          });
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

  /** Writes the new hash and clears the mark with the audit entry, ends every session, opens a new one. */
  private Future<JsonObject> store(Principal p, Owner o, String hash) {
    AuditEvent.Builder entry = AuditEvent.by(p, ACTION).establishment(o.establishment()).detail("account", p.accountId())
        .detail("session", p.sessionId()).detail("sessions_ended", true);
    Future<Optional<Parked>> written = p.role() == Role.OUTSIDE
        ? directory.updatePerson(p.accountId(), unchangedSince(o, PersonOutside::passwordHash, x -> x.withPassword(hash, false)),
            (before, after) -> park(entry, before.passwordChangeRequired())).map(a -> a.map(Directory.Audited::parked))
        : directory.updateStaff(p.accountId(), unchangedSince(o, StaffAccount::passwordHash, x -> x.withPassword(hash, false)),
            (before, after) -> park(entry, before.passwordChangeRequired())).map(a -> a.map(Directory.Audited::parked));
    return written.recover(e -> Future.failedFuture(e instanceof StoreUnavailableException
            ? new ApiException(503, "WRITE_UNCONFIRMED", "The data store stopped answering while saving: your password may "
                + "or may not have changed. Try signing in with the new one first.") : e))
        .compose(parked -> {
          Parked change = parked.orElseThrow(() -> new ApiException(401, "INVALID_TOKEN", "This account no longer exists."));
          // the other sessions may have been opened by whoever knew the old password: all of them end
          return signIn.revokeAccount(p.accountId(), "PASSWORD_CHANGED")
              .compose(v -> outbox.complete(Keys.dirAuditOutbox(), change.entry()).recover(e -> {
                log.warn("password change {} is saved but its audit entry is pending (the outbox completes it)", change.changeId(), e);
                return Future.failedFuture(new ApiException(503, "AUDIT_PENDING", "Your new password is saved, but the "
                    + "record of the change could not be written yet. Sign in with your new password; do not change it again."));
              }))
              .compose(v -> sessions.start(p.accountId(), p.role(), p.establishment(), p.personId()))
              .map(signIn::tokensJson);
        });
  }

  /** The change, unless the password changed since it was checked (an admin's reset meanwhile): then refused. */
  private static <T> UnaryOperator<T> unchangedSince(Owner o, java.util.function.Function<T, String> hashOf, UnaryOperator<T> change) {
    return before -> {
      if (!o.passwordHash().equals(hashOf.apply(before))) {
        throw ApiException.conflict("SIGN_IN_CHANGED", "Your sign-in was changed while you were choosing a password "
            + "(an administrator may have reset it). Sign in again.");
      }
      return change.apply(before);
    };
  }

  private Parked park(AuditEvent.Builder entry, boolean wasOneTime) {
    return Parked.of(SignInService.copy(entry).detail("was_one_time", wasOneTime).build(), clock.millis());
  }
}
