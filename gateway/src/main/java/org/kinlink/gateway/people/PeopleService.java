package org.kinlink.gateway.people;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.crypto.OneTimePassword;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.people.PeopleException.Kind;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identities as staff manage them: prisoners, people outside, staff accounts, kiosk devices. Every
 * record is scoped to the caller's establishment (another establishment's record is "not found"),
 * every change commits together with its audit entry (parked in the directory's outbox by the write
 * script) and is answered only once that entry is on the chain. Transport-neutral: domain results,
 * {@link PeopleException} for refusals.
 *
 * <p>Create conflicts (prison number, email, device id) answer the same whether the record taken is in
 * the caller's establishment or another's, and never say whose or whom: a prison number or an email
 * is unique nationally, so it cannot be registered twice, but the answer must not let staff of one
 * prison learn who is held or known in another.
 */
public final class PeopleService {
  private static final Logger log = LoggerFactory.getLogger(PeopleService.class);
  private static final Role[] STAFF = {Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN};
  // the same assessors the versioned clearance store requires to loosen clearance
  private static final Set<Role> ASSESSORS = EnumSet.of(Role.FAMILY_WORKER, Role.ADMIN);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Records a clearance change where decisions read it (the contacts capability). */
  public interface ClearanceRecorder {
    Future<Void> record(Principal by, String prisonerId, String level, String reason);
  }

  /** Lifts a prisoner's kiosk sign-in lock (auth); answers whether there was one. */
  public interface KioskLocks {
    Future<Boolean> lift(Principal by, Prisoner prisoner);
  }

  /** What resetting a staff sign-in does beside the record (auth): the same as {@code kinlink admin staff reset}. */
  public interface SignInReset {
    /** Lifts a sign-in lock on the email; answers whether there was one. */
    Future<Boolean> liftLock(String email);

    /** Forgets the TOTP step the account last used, so the new secret's first code is not taken for a replay. */
    Future<Void> forgetTotpStep(String accountId);
  }

  /** A reset staff sign-in: the account, its new one-time password, and its new TOTP secret (null when kept). */
  public record StaffReset(StaffAccount account, String password, String totpSecret) {}

  /** Ends every session of an account at once (auth). */
  public interface SessionRevoker {
    Future<Void> revokeAccount(String accountId, String reason);
  }

  /**
   * Kiosk enrolment codes (the devices capability): a created device waits for its key, and the
   * admin is shown the one-time code it enrols with; a withdrawn device's outstanding code is forgotten.
   */
  public interface EnrolmentCodes {
    Future<JsonObject> issue(Principal by, KioskDevice device);

    Future<Void> forget(String deviceId);
  }

  /** A new record and, for accounts that sign in with TOTP, its secret (shown once). */
  public record Created<T>(T record, String totpSecret) {}

  public record NewPrisoner(String prisonNumber, String name, String pin, Clearance clearance, Set<PrisonerFlag> flags) {}

  /** Null fields are left as they are. */
  public record PrisonerChange(String name, Set<PrisonerFlag> flags, Clearance clearance, String pin, String reason) {}

  public record NewPerson(PersonKind kind, String name, String email, String password, String prisoner, boolean verified) {}

  public record NewStaff(String email, String name, Role role, String password) {}

  /** Null fields are left as they are. */
  public record StaffChange(String name, Role role, Boolean disabled, String password) {}

  private final Directory directory;
  private final AuditOutbox outbox;
  private final SecretHasher hasher;
  private final Vertx vertx;
  private final Clock clock;
  private final ClearanceRecorder clearance;
  private final KioskLocks locks;
  private final SessionRevoker sessions;
  private final EnrolmentCodes enrolmentCodes;
  private final SignInReset signInReset;

  public PeopleService(Directory directory, AuditOutbox outbox, SecretHasher hasher, Vertx vertx, Clock clock,
      ClearanceRecorder clearance, KioskLocks locks, SessionRevoker sessions, EnrolmentCodes enrolmentCodes, SignInReset signInReset) {
    this.directory = directory;
    this.outbox = outbox;
    this.hasher = hasher;
    this.vertx = vertx;
    this.clock = clock;
    this.clearance = clearance;
    this.locks = locks;
    this.sessions = sessions;
    this.enrolmentCodes = enrolmentCodes;
    this.signInReset = signInReset;
  }

  public Future<List<Establishment>> establishments() {
    return directory.establishments();
  }

  // --- prisoners ---

  /** My establishment's prisoners, or those whose name or prison number contains {@code q}. */
  public Future<Page<Prisoner>> prisoners(Principal p, String q, String after, int limit) {
    require(p, STAFF);
    return q == null ? directory.prisoners(p.establishment(), after, limit)
        : directory.searchPrisoners(p.establishment(), q, after, limit);
  }

  /** A prisoner of my establishment, named by prison number (or the internal id). */
  public Future<Prisoner> prisoner(Principal p, String ref) {
    require(p, STAFF);
    return prisonerOf(p, ref);
  }

  public Future<Prisoner> createPrisoner(Principal p, NewPrisoner n) {
    require(p, Role.OFFICER, Role.ADMIN);
    String number = PrisonNumber.normalize(n.prisonNumber());
    if (number == null) {
      throw new PeopleException(Kind.REFUSED, "INVALID_PRISON_NUMBER", "A prison number is a letter, four digits and two letters, e.g. A1234BC.", "prison_number");
    }
    if (n.flags().contains(PrisonerFlag.RISK_TO_CHILDREN) && n.clearance() != Clearance.NONE) {
      throw new PeopleException(Kind.REFUSED, "CLEARANCE_NOT_ASSESSED",
          "A prisoner flagged as a risk to children has clearance NONE until assessed; register her with NONE and change it after the assessment.",
          "clearance");
    }
    return hasher.hash(vertx, n.pin()).compose(pinHash -> {
      // the officer who typed the PIN knows it: her first kiosk sign-in makes her choose her own
      Prisoner prisoner = new Prisoner(PrisonNumber.prisonerId(number), number, n.name().trim(), p.establishment(),
          n.clearance(), n.flags(), pinHash, clock.instant(), true);
      Parked parked = park(AuditEvent.by(p, "prisoner.create").prisoner(prisoner.id()).detail("after", prisoner.toApi())
          .detail("pin_reset", true).detail("pin_change_required", true).build());
      return created(directory.createPrisoner(prisoner, parked), parked, prisoner, "PRISON_NUMBER_TAKEN",
          Directory.PRISON_NUMBER_TAKEN);
    });
  }

  public Future<Prisoner> updatePrisoner(Principal p, String ref, PrisonerChange c) {
    require(p, STAFF);
    if ((c.clearance() != null || c.flags() != null) && !ASSESSORS.contains(p.role())) {
      throw new PeopleException(Kind.FORBIDDEN, "FORBIDDEN", "Only family workers and admins may change clearance or flags here; "
          + "to make clearance stricter at once use PUT /api/v1/prisoners/{id}/clearance.");
    }
    Future<String> pinHash = c.pin() == null ? Future.succeededFuture(null) : hasher.hash(vertx, c.pin());
    return prisonerOf(p, ref).compose(current -> pinHash.compose(hash -> unconfirmed(directory.updatePrisoner(current.id(), before -> {
      Prisoner after = before;
      if (c.name() != null) {
        after = after.withName(c.name().trim());
      }
      if (c.flags() != null) {
        after = after.withFlags(c.flags());
        // a new risk flag drops clearance to NONE until someone records an assessment
        if (c.flags().contains(PrisonerFlag.RISK_TO_CHILDREN) && !before.flags().contains(PrisonerFlag.RISK_TO_CHILDREN)
            && c.clearance() == null) {
          after = after.withClearance(Clearance.NONE);
        }
      }
      if (c.clearance() != null) {
        after = after.withClearance(c.clearance());
      }
      return hash == null ? after : after.withPin(hash, true);
    }, (before, after) -> park(AuditEvent.by(p, "prisoner.update").prisoner(after.id()).detail("reason", c.reason())
        .detail("before", before.toApi()).detail("after", after.toApi()).detail("pin_changed", c.pin() != null)
        .detail("pin_reset", c.pin() != null).detail("pin_change_required", after.pinChangeRequired()).build())))))
        .compose(found -> changed(found, change -> change.before().clearance() == change.after().clearance()
            ? Future.succeededFuture()
            // the versioned clearance store (contacts) is what decisions read: record the change there too
            : clearance.record(p, change.after().id(), change.after().clearance().name(), c.reason())));
  }

  /** Lifts a kiosk lock early; answers whether there was one. */
  public Future<Boolean> unlock(Principal p, String ref) {
    require(p, STAFF);
    return prisonerOf(p, ref).compose(pr -> locks.lift(p, pr));
  }

  private Future<Prisoner> prisonerOf(Principal p, String ref) {
    return directory.prisoner(prisonerId(ref)).map(o -> inMine(p, o.filter(pr -> pr.establishment().equals(p.establishment()))));
  }

  /** The internal id of a prisoner named by prison number ({@code A1234BC}, any case) or by id ({@code pr-A1234BC}). */
  public static String prisonerId(String ref) {
    String number = PrisonNumber.normalize(ref);
    return number != null ? PrisonNumber.prisonerId(number) : ref;
  }

  // --- people outside ---

  /** The people outside my establishment works with, or those whose name contains {@code q}. */
  public Future<Page<PersonOutside>> people(Principal p, String q, String after, int limit) {
    require(p, STAFF);
    return q == null ? directory.people(p.establishment(), after, limit)
        : directory.searchPeople(p.establishment(), q, after, limit);
  }

  public Future<PersonOutside> person(Principal p, String id) {
    require(p, STAFF);
    return personOf(p, id);
  }

  public Future<Created<PersonOutside>> createPerson(Principal p, NewPerson n) {
    require(p, Role.OFFICER, Role.FAMILY_WORKER, Role.ADMIN);
    String email = Directory.normalizeEmail(n.email());
    if ((email == null) != (n.password() == null)) {
      throw new PeopleException(Kind.REFUSED, "SIGN_IN_INCOMPLETE", "Give both an email and a password to let this person sign in, or neither.",
          email == null ? "email" : "password");
    }
    if (!n.kind().maySignIn() && email != null) {
      throw new PeopleException(Kind.REFUSED, "CHILD_NO_SIGN_IN",
          "Children do not sign in: they join under a supervising adult. Leave out email and password.", "email");
    }
    if (n.prisoner() != null && (n.kind() != PersonKind.PARENT || email != null)) {
      throw new PeopleException(Kind.REFUSED, "PRISONER_LINK",
          "Only a PARENT without a sign-in can be linked to a prisoner (he signs in on his own kiosk).", "prisoner_id");
    }
    // a father held in another establishment is as unknown here as one who does not exist
    Future<String> link = n.prisoner() == null ? Future.succeededFuture(null)
        : directory.prisoner(prisonerId(n.prisoner())).map(o -> o.filter(pr -> pr.establishment().equals(p.establishment()))
            .map(Prisoner::id).orElseThrow(() -> new PeopleException(Kind.REFUSED, "UNKNOWN_PRISONER",
                "There is no prisoner " + n.prisoner() + " in your establishment.", "prisoner_id")));
    String totp = email != null && n.kind().isProfessional() ? Totp.newSecret() : null;
    return link.compose(prisonerId -> (n.password() == null ? Future.<String>succeededFuture(null) : hasher.hash(vertx, n.password()))
        .compose(hash -> {
          // a password staff chose is theirs as much as the person's: it must be changed at first sign-in
          PersonOutside person = new PersonOutside("pe-" + randomId(), n.kind(), n.name().trim(), email, hash, totp,
              n.verified(), prisonerId, List.of(p.establishment()), clock.instant(), hash != null);
          Parked parked = park(AuditEvent.by(p, "person.create").detail("person", person.id()).detail("after", person.toApi()).build());
          return created(directory.createPerson(person, parked), parked, person, "EMAIL_TAKEN", Directory.EMAIL_TAKEN)
              .map(x -> new Created<>(x, totp));
        }));
  }

  public Future<PersonOutside> updatePerson(Principal p, String id, String name, Boolean verified, String reason) {
    require(p, Role.OFFICER, Role.FAMILY_WORKER, Role.ADMIN);
    return personOf(p, id).compose(x -> unconfirmed(directory.updatePerson(id, before -> new PersonOutside(before.id(), before.kind(),
            name != null ? name.trim() : before.name(), before.email(), before.passwordHash(), before.totpSecret(),
            verified != null ? verified : before.verified(), before.prisonerId(), before.establishments(), before.createdAt(),
            before.passwordChangeRequired()),
        (before, after) -> park(AuditEvent.by(p, "person.update").detail("person", id).detail("reason", reason)
            .detail("before", before.toApi()).detail("after", after.toApi()).build()))))
        .compose(found -> changed(found, change -> Future.succeededFuture()));
  }

  private Future<PersonOutside> personOf(Principal p, String id) {
    return directory.person(id).map(o -> inMine(p, o.filter(person -> person.establishments().contains(p.establishment()))));
  }

  // --- staff ---

  public Future<Page<StaffAccount>> staff(Principal p, String after, int limit) {
    require(p, Role.ADMIN);
    return directory.staffList(p.establishment(), after, limit);
  }

  public Future<Created<StaffAccount>> createStaff(Principal p, NewStaff n) {
    require(p, Role.ADMIN);
    String totp = Totp.newSecret();
    return hasher.hash(vertx, n.password()).compose(hash -> {
      // the admin knows the first password: the account is its owner's only once they have changed it
      StaffAccount s = new StaffAccount("st-" + randomId(), Directory.normalizeEmail(n.email()), n.name().trim(), n.role(),
          p.establishment(), hash, totp, false, clock.instant(), true);
      Parked parked = park(AuditEvent.by(p, "staff.create").detail("staff", s.id()).detail("after", s.toApi()).build());
      return created(directory.createStaff(s, parked), parked, s, "EMAIL_TAKEN", Directory.EMAIL_TAKEN)
          .map(x -> new Created<>(x, totp));
    });
  }

  public Future<StaffAccount> updateStaff(Principal p, String id, StaffChange c) {
    require(p, Role.ADMIN);
    if (id.equals(p.accountId()) && (Boolean.TRUE.equals(c.disabled()) || (c.role() != null && c.role() != Role.ADMIN))) {
      throw new PeopleException(Kind.REFUSED, "SELF_LOCKOUT",
          "You cannot disable your own account or take away your own admin role; ask another admin.",
          c.disabled() != null ? "disabled" : "role");
    }
    Future<StaffAccount> found = directory.staff(id).map(o -> inMine(p, o.filter(s -> s.establishment().equals(p.establishment()))));
    Future<String> hash = c.password() == null ? Future.succeededFuture(null) : hasher.hash(vertx, c.password());
    return found.compose(x -> hash).compose(h -> unconfirmed(directory.updateStaff(id, before -> {
          StaffAccount after = before.with(c.name() != null ? c.name().trim() : before.name(),
              c.role() != null ? c.role() : before.role(), c.disabled() != null ? c.disabled() : before.disabled(),
              before.passwordHash());
          // a password set for someone else must be changed by its owner; one an admin sets for herself is hers
          return h == null ? after : after.withPassword(h, !id.equals(p.accountId()));
        },
        (before, after) -> park(AuditEvent.by(p, "staff.update").detail("staff", id).detail("before", before.toApi())
            .detail("after", after.toApi()).detail("password_changed", c.password() != null)
            .detail("sessions_ended", endsSessions(c, before, after)).build()))))
        .compose(change -> changed(change, ch -> endsSessions(c, ch.before(), ch.after())
            ? sessions.revokeAccount(id, "ACCOUNT_CHANGED") : Future.succeededFuture()));
  }

  /**
   * Resets a staff member's sign-in as {@code kinlink admin staff reset} does: a new one-time
   * password and, with {@code totp}, a new TOTP secret (their authenticator must be set up again
   * before they can sign in), every session ended, a sign-in lock lifted; audited as one change.
   */
  public Future<StaffReset> resetStaff(Principal p, String id, boolean totp, String reason) {
    require(p, Role.ADMIN);
    String password = OneTimePassword.generate();
    String secret = totp ? Totp.newSecret() : null;
    return directory.staff(id).map(o -> inMine(p, o.filter(s -> s.establishment().equals(p.establishment()))))
        .compose(staff -> hasher.hash(vertx, password).compose(hash -> signInReset.liftLock(staff.email())
            .compose(lockLifted -> unconfirmed(directory.updateStaff(id, before -> new StaffAccount(before.id(), before.email(),
                    before.name(), before.role(), before.establishment(), hash, secret != null ? secret : before.totpSecret(),
                    before.disabled(), before.createdAt(), true),
                (before, after) -> park(AuditEvent.by(p, "staff.reset").detail("staff", id).detail("reason", reason)
                    .detail("before", before.toApi()).detail("after", after.toApi())
                    .detail("password_changed", true).detail("totp_changed", secret != null)
                    .detail("sessions_ended", true).detail("lock_lifted", lockLifted).build()))))))
        .compose(found -> changed(found, ch -> sessions.revokeAccount(id, "ACCOUNT_RESET")
            .compose(v -> secret != null ? signInReset.forgetTotpStep(id) : Future.succeededFuture())))
        .map(account -> new StaffReset(account, password, secret));
  }

  private static boolean endsSessions(StaffChange c, StaffAccount before, StaffAccount after) {
    return c.password() != null || after.disabled() && !before.disabled() || after.role() != before.role();
  }

  // --- kiosk devices ---

  public Future<Page<KioskDevice>> devices(Principal p, String after, int limit) {
    require(p, STAFF);
    return directory.devices(p.establishment(), after, limit);
  }

  /** Creates a device waiting for its key; answers its API view with the one-time enrolment code. */
  public Future<JsonObject> createDevice(Principal p, String id, String location) {
    require(p, Role.ADMIN);
    KioskDevice d = new KioskDevice(id, p.establishment(), location.trim(), true, null);
    Parked parked = park(AuditEvent.by(p, "device.enrol").detail("device", d.id()).detail("after", d.toJson()).build());
    return created(directory.createDevice(d, parked), parked, d, "DEVICE_EXISTS", Directory.DEVICE_TAKEN)
        .compose(created -> enrolmentCodes.issue(p, created).map(code -> created.toJson().mergeIn(code)));
  }

  public Future<KioskDevice> updateDevice(Principal p, String id, String location, Boolean enrolled) {
    require(p, Role.ADMIN);
    return directory.device(id).map(o -> inMine(p, o.filter(d -> d.establishment().equals(p.establishment()))))
        .compose(x -> unconfirmed(directory.updateDevice(id, before -> {
              boolean stays = enrolled != null ? enrolled : before.enrolled();
              // withdrawing forgets the key: only a new enrolment code and key bring the device back
              return new KioskDevice(before.id(), before.establishment(),
                  location != null ? location.trim() : before.location(), stays, stays ? before.publicKey() : null);
            },
            (before, after) -> park(AuditEvent.by(p, "device.update").detail("device", id).detail("before", before.toJson())
                .detail("after", after.toJson()).build()))))
        .compose(found -> changed(found, change -> change.after().enrolled() ? Future.succeededFuture()
            : enrolmentCodes.forget(id)));
  }

  // --- writes and their audit ---

  private Parked park(AuditEvent event) {
    return Parked.of(event, clock.millis());
  }

  /** A create's outcome: the record once its audit entry is written, or the conflict in the same words for any establishment. */
  private <T> Future<T> created(Future<CreateRecordScript.Result> write, Parked parked, T record, String code, String message) {
    return unconfirmed(write).compose(r -> r == CreateRecordScript.Result.CREATED ? audited(parked).map(record)
        : Future.failedFuture(new PeopleException(Kind.CONFLICT, code, message)));
  }

  /** An update's outcome: {@code then} (its other effects), then the audit entry, then the record after. */
  private <T> Future<T> changed(Optional<Directory.Audited<T>> found, java.util.function.Function<Directory.Change<T>, Future<Void>> then) {
    Directory.Audited<T> a = found.orElseThrow(PeopleException::notFound);
    return then.apply(a.change())
        .recover(e -> audited(a.parked()).transform(ar -> Future.<Void>failedFuture(ar.failed() ? ar.cause()
            : new PeopleException(Kind.UNCONFIRMED, "CHANGE_INCOMPLETE", "The record was changed and audited, but a "
                + "step that follows it (recording clearance, ending sessions) did not finish; send the change again."))))
        .compose(v -> audited(a.parked())).map(a.change().after());
  }

  private Future<Void> audited(Parked parked) {
    return outbox.complete(Keys.dirAuditOutbox(), parked.entry()).recover(e -> {
      log.warn("directory change {} is saved but its audit entry is pending (the outbox completes it)", parked.changeId(), e);
      return Future.failedFuture(new PeopleException(Kind.AUDIT_PENDING, "AUDIT_PENDING",
          "The change was saved, but its audit record could not be written yet; it will be written shortly. "
              + "Do not make the change again."));
    });
  }

  /** A write whose answer never came back may have been applied: say so, never "nothing was written". */
  private static <T> Future<T> unconfirmed(Future<T> write) {
    return write.recover(e -> Future.failedFuture(e instanceof StoreUnavailableException
        ? new PeopleException(Kind.UNCONFIRMED, "WRITE_UNCONFIRMED", "The data store stopped answering while saving: "
            + "the change may or may not have been saved. Look at the record before trying again.")
        : e));
  }

  private static <T> T inMine(Principal p, Optional<T> record) {
    return record.orElseThrow(PeopleException::notFound);
  }

  private static void require(Principal p, Role... roles) {
    if (!Arrays.asList(roles).contains(p.role())) {
      throw new PeopleException(Kind.FORBIDDEN, "FORBIDDEN", "Your role (" + p.role() + ") may not do this.");
    }
  }

  private static String randomId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
