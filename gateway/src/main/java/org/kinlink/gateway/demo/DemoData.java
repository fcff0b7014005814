package org.kinlink.gateway.demo;

import static org.kinlink.gateway.demo.DemoIds.*;

import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.time.Clock;
import java.util.Optional;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.contacts.Contacts;
import org.kinlink.gateway.devices.DemoKiosks;
import org.kinlink.gateway.messaging.Messaging;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;
import org.kinlink.gateway.people.StaffAccount;
import org.kinlink.gateway.redis.Keys;

/** The demo establishments, people and sign-ins of docs/cli.md, loaded once by {@code kinlink demo} only. */
public final class DemoData {
  /** What loading the demo writes through (the composition root hands it over: {@code Services.demoParts()}). */
  public record Parts(Redis redis, Directory directory, AuditLog audit, Contacts contacts, Messaging messaging,
      Optional<DemoKiosks> demoKiosks, Clock clock) {}

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DemoData.class);
  private DemoData() {}

  /** A kiosk sign-in of the demo. */
  public record KioskLogin(String who, String device, String prisonNumber, String pin, String notes) {}

  /** An email sign-in of the demo. */
  public record PasswordLogin(String who, String email, String password, boolean totp, String notes) {}

  /** The kiosk sign-ins, as docs/cli.md lists them. */
  public static final List<KioskLogin> KIOSK_LOGINS = List.of(
      new KioskLogin("mother in prison, HMP Styal (MBU)", KIOSK_STYAL_01, "A1234BC", "2580", "child-contact clearance FULL"),
      new KioskLogin("mother in prison, HMP Eastwood Park", KIOSK_EP_01, "C3456FG", "1357", "on remand; party to care proceedings"),
      new KioskLogin("mother in prison, HMP Send", KIOSK_SEND_01, "D7890HJ", "4680", "clearance NONE (risk to children)"),
      new KioskLogin("father in prison, HMP Send", KIOSK_SEND_02, "E2468KL", "9753", "father of A1234BC's baby; inter-prison contact"));

  /** The email sign-ins, as docs/cli.md lists them. */
  public static final List<PasswordLogin> PASSWORD_LOGINS = List.of(
      new PasswordLogin("carer (grandmother)", "carer@demo.kinlink.test", "carer-demo-2026", false, "caring for A1234BC's son (9)"),
      new PasswordLogin("school safeguarding lead", "dsl@demo.kinlink.test", "school-demo-2026", true, "supervises A1234BC's daughter (11)"),
      new PasswordLogin("children's social worker", "socialworker@demo.kinlink.test", "social-demo-2026", true, "works with C3456FG's children"),
      new PasswordLogin("legal adviser", "solicitor@demo.kinlink.test", "legal-demo-2026", true, "privileged contact of C3456FG"),
      new PasswordLogin("officer, HMP Styal", "officer@styal.demo.kinlink.test", "officer-demo-2026", true, ""),
      new PasswordLogin("security, HMP Styal", "security@styal.demo.kinlink.test", "security-demo-2026", true, ""),
      new PasswordLogin("security, HMP Send", "security@send.demo.kinlink.test", "security-demo-2026", true, "must never see Styal's records"),
      new PasswordLogin("admin, HMP Styal", "admin@demo.kinlink.test", "admin-demo-2026", true, ""));

  /** Loads the demo data unless an earlier run already did (a marker key, kept across restarts). */
  public static Future<Void> loadOnce(Parts services) {
    long t0 = System.nanoTime();
    // the demo contacts check for themselves what is missing, so a data dir from before them gets them too
    return loadPeopleOnce(services)
        .onSuccess(v -> log.info("demo people took {} ms", (System.nanoTime() - t0) / 1_000_000))
        .compose(v -> {
          long t1 = System.nanoTime();
          return ContactsDemo.load(services.contacts())
              .onSuccess(x -> log.info("demo contacts took {} ms", (System.nanoTime() - t1) / 1_000_000));
        })
        .compose(v -> services.demoKiosks().map(k -> k.ensure()).orElse(Future.succeededFuture()))
        // Leo (9) has no account: his grandmother holds his conversation with his mother
        .compose(v -> services.messaging().setHolder(PERSON_SON, PERSON_CARER));
  }

  private static Future<Void> loadPeopleOnce(Parts services) {
    return services.redis().<Long>call(c -> c.exists(Keys.DEMO_LOADED)).compose(n -> {
      if (n != null && n > 0) {
        return Future.succeededFuture();
      }
      return load(services, DemoHashes.IN_LOGIN_ORDER)
          .compose(v -> services.audit().append(AuditEvent.of("demo.load").actor("system", "SYSTEM")
              .detail("note", "demo establishments, people and sign-ins loaded").build()))
          .compose(e -> services.redis().call(c -> c.set(Keys.DEMO_LOADED, services.clock().instant().toString(), SetArgs.Builder.nx())))
          .mapEmpty();
    });
  }

  private static Future<Void> load(Parts services, List<String> h) {
    Directory d = services.directory();
    Instant now = services.clock().instant();
    List<Supplier<Future<Void>>> steps = new ArrayList<>();
    steps.add(() -> d.putEstablishment(new Establishment(STYAL, "HMP Styal")));
    steps.add(() -> d.putEstablishment(new Establishment(SEND, "HMP Send")));
    steps.add(() -> d.putEstablishment(new Establishment(EASTWOOD_PARK, "HMP Eastwood Park")));
    steps.add(() -> d.createDevice(new KioskDevice(KIOSK_STYAL_01, STYAL, "Mother and Baby Unit, room 4", true)));
    steps.add(() -> d.createDevice(new KioskDevice(KIOSK_EP_01, EASTWOOD_PARK, "House block 2, cell 14", true)));
    steps.add(() -> d.createDevice(new KioskDevice(KIOSK_SEND_01, SEND, "Wing B, cell 7", true)));
    steps.add(() -> d.createDevice(new KioskDevice(KIOSK_SEND_02, SEND, "Video-link room 1", true)));
    steps.add(() -> d.createPrisoner(prisoner("A1234BC", "Amira Khan", STYAL, Clearance.FULL, EnumSet.of(PrisonerFlag.MBU), h.get(0), now)));
    steps.add(() -> d.createPrisoner(prisoner("C3456FG", "Chloe Davies", EASTWOOD_PARK, Clearance.SUPERVISED,
        EnumSet.of(PrisonerFlag.REMAND, PrisonerFlag.CARE_PROCEEDINGS), h.get(1), now)));
    steps.add(() -> d.createPrisoner(prisoner("D7890HJ", "Dawn Hughes", SEND, Clearance.NONE,
        EnumSet.of(PrisonerFlag.RISK_TO_CHILDREN), h.get(2), now)));
    steps.add(() -> d.createPrisoner(prisoner("E2468KL", "Ethan Clarke", SEND, Clearance.FULL, EnumSet.noneOf(PrisonerFlag.class), h.get(3), now)));
    int pw = KIOSK_LOGINS.size();
    steps.add(() -> d.createPerson(person(PERSON_CARER, PersonKind.CARER, "Margaret Khan", 0, h, pw, null, List.of(STYAL), now)));
    steps.add(() -> d.createPerson(person(PERSON_DSL, PersonKind.SCHOOL, "Sarah Lewis", 1, h, pw, null, List.of(STYAL), now)));
    steps.add(() -> d.createPerson(person(PERSON_SOCIAL_WORKER, PersonKind.SOCIAL_WORKER, "Priya Shah", 2, h, pw, null,
        List.of(EASTWOOD_PARK, SEND), now)));
    steps.add(() -> d.createPerson(person(PERSON_SOLICITOR, PersonKind.LEGAL, "Owen Price", 3, h, pw, null, List.of(EASTWOOD_PARK), now)));
    steps.add(() -> d.createPerson(person(PERSON_SON, PersonKind.CHILD, "Leo Khan (9)", -1, h, pw, null, List.of(STYAL), now)));
    steps.add(() -> d.createPerson(person(PERSON_DAUGHTER, PersonKind.CHILD, "Jade Khan (11)", -1, h, pw, null, List.of(STYAL), now)));
    steps.add(() -> d.createPerson(person(PERSON_FATHER, PersonKind.PARENT, "Ethan Clarke (HMP Send)", -1, h, pw, PRISONER_E2468KL,
        List.of(STYAL, SEND), now)));
    steps.add(() -> d.createStaff(staff(STAFF_OFFICER_STYAL, 4, "Officer Tom Reed", Role.OFFICER, STYAL, h, pw, now)));
    steps.add(() -> d.createStaff(staff(STAFF_SECURITY_STYAL, 5, "Security Helen Ward", Role.SECURITY, STYAL, h, pw, now)));
    steps.add(() -> d.createStaff(staff(STAFF_SECURITY_SEND, 6, "Security Raj Patel", Role.SECURITY, SEND, h, pw, now)));
    steps.add(() -> d.createStaff(staff(STAFF_ADMIN, 7, "Admin Jo Evans", Role.ADMIN, STYAL, h, pw, now)));
    // the records are independent of each other (each is one script on its own keys): write them all at once
    List<Future<Void>> writes = new ArrayList<>();
    for (Supplier<Future<Void>> step : steps) {
      // a record left by an interrupted earlier load is kept as it is
      writes.add(step.get().recover(e -> e instanceof ApiException api && api.status() == 409
          ? Future.succeededFuture() : Future.failedFuture(e)));
    }
    return Future.all(writes).mapEmpty();
  }

  private static Prisoner prisoner(String number, String name, String est, Clearance c, Set<PrisonerFlag> flags, String pin, Instant now) {
    return new Prisoner(PrisonNumber.prisonerId(number), number, name, est, c, flags, pin, now);
  }

  private static PersonOutside person(String id, PersonKind kind, String name, int login, List<String> h, int offset, String prisonerId,
      List<String> ests, Instant now) {
    if (login < 0) {
      return new PersonOutside(id, kind, name, null, null, null, true, prisonerId, ests, now);
    }
    PasswordLogin l = PASSWORD_LOGINS.get(login);
    return new PersonOutside(id, kind, name, l.email(), h.get(offset + login), kind.isProfessional() ? TOTP_SECRET : null,
        true, prisonerId, ests, now);
  }

  private static StaffAccount staff(String id, int login, String name, Role role, String est, List<String> h, int offset, Instant now) {
    PasswordLogin l = PASSWORD_LOGINS.get(login);
    return new StaffAccount(id, l.email(), name, role, est, h.get(offset + login), TOTP_SECRET, false, now);
  }

  /** What {@code kinlink demo} prints: URLs and sign-ins. */
  public static String banner(String baseUrl) {
    StringBuilder s = new StringBuilder("""

        Kinlink demo is running.
          Home:           %1$s/
          Staff console:  %1$s/staff/
          Kiosk:          %1$s/kiosk/
          Family portal:  %1$s/portal/
          Security:       %1$s/security/
          API contract:   %1$s/api/v1/openapi.yaml
          Health:         %1$s/health/ready

        Kiosk sign-in (set a browser up as a demo kiosk at %1$s/kiosk/setup.html; each
        sign-in is signed with the kiosk's key, see README "Sign-in and identities"):
        """.formatted(baseUrl));
    s.append(String.format("  %-16s %-9s %-5s %s%n", "device", "prison no", "PIN", "who"));
    for (KioskLogin k : KIOSK_LOGINS) {
      s.append(String.format("  %-16s %-9s %-5s %s — %s%n", k.device(), k.prisonNumber(), k.pin(), k.who(), k.notes()));
    }
    s.append("\nEmail sign-in (POST ").append(baseUrl).append("/api/v1/auth/login):\n");
    s.append(String.format("  %-34s %-19s %-5s %s%n", "email", "password", "TOTP", "who"));
    for (PasswordLogin p : PASSWORD_LOGINS) {
      s.append(String.format("  %-34s %-19s %-5s %s%s%n", p.email(), p.password(), p.totp() ? "yes" : "no", p.who(),
          p.notes().isEmpty() ? "" : " — " + p.notes()));
    }
    s.append("\nTOTP: every demo secret is ").append(TOTP_SECRET)
        .append(" (RFC 6238, SHA-1, 6 digits, 30 s) — add it to an authenticator app,\n")
        .append("or print a code with: oathtool --totp -b ").append(TOTP_SECRET).append("\n")
        .append("Demo data only: `kinlink serve` never loads it.\n");
    return s.toString();
  }
}
