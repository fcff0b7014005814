package org.kinlink.gateway.people;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.security.SecureRandom;
import org.kinlink.gateway.Services;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.auth.AuthService;
import org.kinlink.gateway.auth.CurrentPrincipal;
import org.kinlink.gateway.auth.Principal;
import org.kinlink.gateway.auth.Role;
import org.kinlink.gateway.auth.Totp;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;

/**
 * Staff endpoints of {@code openapi/people.yaml}. Every record is scoped to the caller's
 * establishment (another establishment's record answers 404), every change is audited with its
 * before and after (never a PIN, password or TOTP secret) and answered only once the audit entry is written.
 */
public final class PeopleModule implements ApiModule {
  private static final Role[] STAFF = {Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN};
  // the same assessors the versioned clearance store requires to loosen clearance
  private static final Set<Role> ASSESSORS = EnumSet.of(Role.FAMILY_WORKER, Role.ADMIN);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Services services;
  private final Directory directory;
  private final AuthService auth;

  public PeopleModule(Services services, Directory directory, AuthService auth) {
    this.services = services;
    this.directory = directory;
    this.auth = auth;
  }

  @Override
  public void mount(RouterBuilder b) {
    b.getRoute("listEstablishments").addHandler(Responses.handler(200, ctx -> {
      CurrentPrincipal.of(ctx);
      return directory.establishments().map(list -> new JsonObject()
          .put("items", new JsonArray(list.stream().map(Establishment::toJson).toList())));
    }));
    b.getRoute("createPrisoner").addHandler(Responses.handler(201, this::createPrisoner));
    b.getRoute("listPrisoners").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.requireRole(ctx, STAFF);
      return directory.prisoners(p.establishment(), cursor(ctx), limit(ctx)).map(page -> page.toJson(Prisoner::toApi));
    }));
    b.getRoute("getPrisoner").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.requireRole(ctx, STAFF);
      return prisonerOf(p, ctx.pathParam("id")).map(Prisoner::toApi);
    }));
    b.getRoute("updatePrisoner").addHandler(Responses.handler(200, this::updatePrisoner));
    b.getRoute("unlockPrisoner").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.requireRole(ctx, STAFF);
      return prisonerOf(p, ctx.pathParam("id")).compose(pr -> auth.signIn().liftKioskLock(p, pr))
          .map(lifted -> new JsonObject().put("lifted", lifted));
    }));
    b.getRoute("createPerson").addHandler(Responses.handler(201, this::createPerson));
    b.getRoute("listPeople").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.requireRole(ctx, STAFF);
      return directory.people(p.establishment(), cursor(ctx), limit(ctx)).map(page -> page.toJson(PersonOutside::toApi));
    }));
    b.getRoute("getPerson").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.requireRole(ctx, STAFF);
      return personOf(p, ctx.pathParam("id")).map(PersonOutside::toApi);
    }));
    b.getRoute("updatePerson").addHandler(Responses.handler(200, this::updatePerson));
    b.getRoute("createStaff").addHandler(Responses.handler(201, this::createStaff));
    b.getRoute("listStaff").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.requireRole(ctx, Role.ADMIN);
      return directory.staffList(p.establishment(), cursor(ctx), limit(ctx)).map(page -> page.toJson(StaffAccount::toApi));
    }));
    b.getRoute("updateStaff").addHandler(Responses.handler(200, this::updateStaff));
    b.getRoute("createDevice").addHandler(Responses.handler(201, this::createDevice));
    b.getRoute("listDevices").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.requireRole(ctx, STAFF);
      return directory.devices(p.establishment(), cursor(ctx), limit(ctx)).map(page -> page.toJson(KioskDevice::toJson));
    }));
    b.getRoute("updateDevice").addHandler(Responses.handler(200, this::updateDevice));
  }

  // --- prisoners ---

  private Future<JsonObject> createPrisoner(RoutingContext ctx) {
    Principal p = CurrentPrincipal.requireRole(ctx, Role.OFFICER, Role.ADMIN);
    JsonObject body = Responses.body(ctx);
    String number = PrisonNumber.normalize(body.getString("prison_number"));
    Set<PrisonerFlag> flags = flags(body.getJsonArray("flags"));
    Clearance clearance = Clearance.valueOf(body.getString("clearance", Clearance.NONE.name()));
    if (flags.contains(PrisonerFlag.RISK_TO_CHILDREN) && clearance != Clearance.NONE) {
      throw ApiException.unprocessable("CLEARANCE_NOT_ASSESSED",
          "A prisoner flagged as a risk to children has clearance NONE until assessed; register her with NONE and change it after the assessment.",
          "clearance");
    }
    return auth.hasher().hash(services.vertx(), body.getString("pin")).compose(pinHash -> {
      Prisoner prisoner = new Prisoner(PrisonNumber.prisonerId(number), number, body.getString("name").trim(), p.establishment(),
          clearance, flags, pinHash, services.clock().instant());
      return directory.createPrisoner(prisoner)
          .compose(v -> audit().append(AuditEvent.by(p, "prisoner.create").prisoner(prisoner.id())
              .detail("after", prisoner.toApi()).build()))
          .map(e -> prisoner.toApi());
    });
  }

  private Future<JsonObject> updatePrisoner(RoutingContext ctx) {
    Principal p = CurrentPrincipal.requireRole(ctx, STAFF);
    JsonObject body = Responses.body(ctx);
    boolean assessing = body.containsKey("clearance") || body.containsKey("flags");
    if (assessing && !ASSESSORS.contains(p.role())) {
      throw ApiException.forbidden("Only family workers and admins may change clearance or flags here; to make clearance stricter at once use PUT /api/v1/prisoners/{id}/clearance.");
    }
    String pin = body.getString("pin");
    Future<String> pinHash = pin == null ? Future.succeededFuture(null) : auth.hasher().hash(services.vertx(), pin);
    return prisonerOf(p, ctx.pathParam("id")).compose(current -> pinHash).compose(hash -> directory.updatePrisoner(ctx.pathParam("id"), before -> {
      Prisoner after = before;
      if (body.containsKey("name")) {
        after = after.withName(body.getString("name").trim());
      }
      if (body.containsKey("flags")) {
        Set<PrisonerFlag> f = flags(body.getJsonArray("flags"));
        after = after.withFlags(f);
        // a new risk flag drops clearance to NONE until someone records an assessment
        if (f.contains(PrisonerFlag.RISK_TO_CHILDREN) && !before.flags().contains(PrisonerFlag.RISK_TO_CHILDREN)
            && !body.containsKey("clearance")) {
          after = after.withClearance(Clearance.NONE);
        }
      }
      if (body.containsKey("clearance")) {
        after = after.withClearance(Clearance.valueOf(body.getString("clearance")));
      }
      if (hash != null) {
        after = after.withPinHash(hash);
      }
      return after;
    })).compose(change -> change.before().clearance() == change.after().clearance() ? Future.succeededFuture(change)
        // the versioned clearance store (contacts) is what decisions read: record the change there too
        : services.contacts().service().recordClearance(p, change.after().id(), change.after().clearance().name(),
            body.getString("reason")).map(change))
        .compose(change -> audit().append(AuditEvent.by(p, "prisoner.update").prisoner(change.after().id())
            .detail("reason", body.getString("reason")).detail("before", change.before().toApi())
            .detail("after", change.after().toApi()).detail("pin_changed", pin != null).build())
        .map(e -> change.after().toApi()));
  }

  private Future<Prisoner> prisonerOf(Principal p, String id) {
    return directory.prisoner(id).map(o -> {
      Prisoner pr = o.orElseThrow(() -> ApiException.notFound("No such record in your establishment."));
      p.requireEstablishment(pr.establishment());
      return pr;
    });
  }

  // --- people outside ---

  private Future<JsonObject> createPerson(RoutingContext ctx) {
    Principal p = CurrentPrincipal.requireRole(ctx, Role.OFFICER, Role.FAMILY_WORKER, Role.ADMIN);
    JsonObject body = Responses.body(ctx);
    PersonKind kind = PersonKind.valueOf(body.getString("kind"));
    String email = Directory.normalizeEmail(body.getString("email"));
    String password = body.getString("password");
    String prisonerId = body.getString("prisoner_id");
    if ((email == null) != (password == null)) {
      throw ApiException.unprocessable("SIGN_IN_INCOMPLETE", "Give both an email and a password to let this person sign in, or neither.",
          email == null ? "email" : "password");
    }
    if (!kind.maySignIn() && email != null) {
      throw ApiException.unprocessable("CHILD_NO_SIGN_IN",
          "Children do not sign in: they join under a supervising adult. Leave out email and password.", "email");
    }
    if (prisonerId != null && (kind != PersonKind.PARENT || email != null)) {
      throw ApiException.unprocessable("PRISONER_LINK", "Only a PARENT without a sign-in can be linked to a prisoner (he signs in on his own kiosk).",
          "prisoner_id");
    }
    Future<Void> linkOk = prisonerId == null ? Future.succeededFuture() : directory.prisoner(prisonerId).map(o -> {
      if (o.isEmpty()) {
        throw ApiException.unprocessable("UNKNOWN_PRISONER", "There is no prisoner " + prisonerId + ".", "prisoner_id");
      }
      return null;
    });
    String totp = email != null && kind.isProfessional() ? Totp.newSecret() : null;
    return linkOk.compose(v -> password == null ? Future.succeededFuture(null) : auth.hasher().hash(services.vertx(), password))
        .compose(hash -> {
          PersonOutside person = new PersonOutside("pe-" + randomId(), kind, body.getString("name").trim(), email, hash, totp,
              body.getBoolean("verified", false), prisonerId, List.of(p.establishment()), services.clock().instant());
          return directory.createPerson(person)
              .compose(x -> audit().append(AuditEvent.by(p, "person.create").detail("person", person.id())
                  .detail("after", person.toApi()).build()))
              .map(e -> withTotp(person.toApi(), person.email(), totp));
        });
  }

  private Future<JsonObject> updatePerson(RoutingContext ctx) {
    Principal p = CurrentPrincipal.requireRole(ctx, Role.OFFICER, Role.FAMILY_WORKER, Role.ADMIN);
    JsonObject body = Responses.body(ctx);
    String id = ctx.pathParam("id");
    return personOf(p, id).compose(x -> directory.updatePerson(id, before -> new PersonOutside(before.id(), before.kind(),
            body.containsKey("name") ? body.getString("name").trim() : before.name(), before.email(), before.passwordHash(),
            before.totpSecret(), body.getBoolean("verified", before.verified()), before.prisonerId(), before.establishments(),
            before.createdAt())))
        .compose(change -> audit().append(AuditEvent.by(p, "person.update").detail("person", id)
                .detail("reason", body.getString("reason")).detail("before", change.before().toApi())
                .detail("after", change.after().toApi()).build())
            .map(e -> change.after().toApi()));
  }

  private Future<PersonOutside> personOf(Principal p, String id) {
    return directory.person(id).map(o -> {
      PersonOutside person = o.orElseThrow(() -> ApiException.notFound("No such record in your establishment."));
      if (!person.establishments().contains(p.establishment())) {
        throw ApiException.notFound("No such record in your establishment.");
      }
      return person;
    });
  }

  // --- staff ---

  private Future<JsonObject> createStaff(RoutingContext ctx) {
    Principal p = CurrentPrincipal.requireRole(ctx, Role.ADMIN);
    JsonObject body = Responses.body(ctx);
    String totp = Totp.newSecret();
    return auth.hasher().hash(services.vertx(), body.getString("password")).compose(hash -> {
      StaffAccount s = new StaffAccount("st-" + randomId(), Directory.normalizeEmail(body.getString("email")),
          body.getString("name").trim(), Role.valueOf(body.getString("role")), p.establishment(), hash, totp, false,
          services.clock().instant());
      return directory.createStaff(s)
          .compose(x -> audit().append(AuditEvent.by(p, "staff.create").detail("staff", s.id()).detail("after", s.toApi()).build()))
          .map(e -> withTotp(s.toApi(), s.email(), totp));
    });
  }

  private Future<JsonObject> updateStaff(RoutingContext ctx) {
    Principal p = CurrentPrincipal.requireRole(ctx, Role.ADMIN);
    JsonObject body = Responses.body(ctx);
    String id = ctx.pathParam("id");
    String password = body.getString("password");
    Role newRole = body.containsKey("role") ? Role.valueOf(body.getString("role")) : null;
    if (id.equals(p.accountId()) && (Boolean.TRUE.equals(body.getBoolean("disabled")) || (newRole != null && newRole != Role.ADMIN))) {
      throw ApiException.unprocessable("SELF_LOCKOUT", "You cannot disable your own account or take away your own admin role; ask another admin.",
          body.containsKey("disabled") ? "disabled" : "role");
    }
    Future<StaffAccount> found = directory.staff(id).map(o -> {
      StaffAccount s = o.orElseThrow(() -> ApiException.notFound("No such record in your establishment."));
      p.requireEstablishment(s.establishment());
      return s;
    });
    Future<String> hash = password == null ? Future.succeededFuture(null) : auth.hasher().hash(services.vertx(), password);
    return found.compose(x -> hash).compose(h -> directory.updateStaff(id, before -> before.with(
            body.containsKey("name") ? body.getString("name").trim() : before.name(),
            newRole != null ? newRole : before.role(),
            body.getBoolean("disabled", before.disabled()),
            h != null ? h : before.passwordHash())))
        .compose(change -> {
          StaffAccount before = change.before();
          StaffAccount after = change.after();
          boolean endSessions = password != null || after.disabled() && !before.disabled() || after.role() != before.role();
          Future<Void> revoke = endSessions ? auth.signIn().revokeAccount(id, "ACCOUNT_CHANGED") : Future.succeededFuture();
          return revoke.compose(v -> audit().append(AuditEvent.by(p, "staff.update").detail("staff", id)
                  .detail("before", before.toApi()).detail("after", after.toApi()).detail("password_changed", password != null)
                  .detail("sessions_ended", endSessions).build()))
              .map(e -> after.toApi());
        });
  }

  // --- kiosk devices ---

  private Future<JsonObject> createDevice(RoutingContext ctx) {
    Principal p = CurrentPrincipal.requireRole(ctx, Role.ADMIN);
    JsonObject body = Responses.body(ctx);
    KioskDevice d = new KioskDevice(body.getString("id"), p.establishment(), body.getString("location").trim(), true);
    // the device waits for its key: the answer carries the one-time code the kiosk enrols with
    return services.devices().create(action -> AuditEvent.by(p, action), d)
        .map(code -> d.toJson().mergeIn(code.toJson()));
  }

  private Future<JsonObject> updateDevice(RoutingContext ctx) {
    Principal p = CurrentPrincipal.requireRole(ctx, Role.ADMIN);
    JsonObject body = Responses.body(ctx);
    String id = ctx.pathParam("id");
    return directory.device(id).map(o -> {
      KioskDevice d = o.orElseThrow(() -> ApiException.notFound("No such record in your establishment."));
      p.requireEstablishment(d.establishment());
      return d;
    }).compose(x -> directory.updateDevice(id, before -> {
          boolean enrolled = body.getBoolean("enrolled", before.enrolled());
          // withdrawing forgets the key: only a new enrolment code and key bring the device back
          return new KioskDevice(before.id(), before.establishment(),
              body.containsKey("location") ? body.getString("location").trim() : before.location(),
              enrolled, enrolled ? before.publicKey() : null);
        }))
        .compose(change -> (change.after().enrolled() ? Future.<Void>succeededFuture() : services.devices().forgetCode(id))
            .map(change))
        .compose(change -> audit().append(AuditEvent.by(p, "device.update").detail("device", id)
                .detail("before", change.before().toJson()).detail("after", change.after().toJson()).build())
            .map(e -> change.after().toJson()));
  }

  // --- helpers ---

  private AuditLog audit() {
    return services.audit();
  }

  private static JsonObject withTotp(JsonObject view, String email, String secret) {
    if (secret == null) {
      return view;
    }
    return view.put("totp_secret", secret).put("otpauth_uri", Totp.uri("Kinlink", email, secret));
  }

  private static Set<PrisonerFlag> flags(JsonArray arr) {
    EnumSet<PrisonerFlag> set = EnumSet.noneOf(PrisonerFlag.class);
    if (arr != null) {
      arr.forEach(x -> set.add(PrisonerFlag.valueOf((String) x)));
    }
    return set;
  }

  private static String randomId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String cursor(RoutingContext ctx) {
    return ctx.request().getParam("cursor");
  }

  private static int limit(RoutingContext ctx) {
    String l = ctx.request().getParam("limit");
    return l == null ? 50 : Integer.parseInt(l);
  }
}
