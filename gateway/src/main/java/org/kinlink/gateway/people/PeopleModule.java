package org.kinlink.gateway.people;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Cursor;
import org.kinlink.gateway.http.Responses;

/**
 * HTTP surface of {@code openapi/people.yaml} over {@link PeopleService}: status codes, JSON views,
 * cursors. A prisoner is named in paths by prison number (or the internal id).
 */
public final class PeopleModule implements ApiModule {
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;

  private final PeopleService people;

  public PeopleModule(PeopleService people) {
    this.people = people;
  }

  @Override
  public void mount(RouterBuilder b) {
    b.getRoute("listEstablishments").addHandler(handler(200, ctx -> {
      CurrentPrincipal.of(ctx);
      return people.establishments().map(list -> new JsonObject()
          .put("items", new JsonArray(list.stream().map(Establishment::toJson).toList())).put("next_cursor", null));
    }));
    b.getRoute("createPrisoner").addHandler(handler(201, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.createPrisoner(CurrentPrincipal.of(ctx), new PeopleService.NewPrisoner(body.getString("prison_number"),
          body.getString("name"), body.getString("pin"), Clearance.valueOf(body.getString("clearance", Clearance.NONE.name())),
          flags(body.getJsonArray("flags")))).map(Prisoner::toApi);
    }));
    b.getRoute("listPrisoners").addHandler(handler(200, ctx -> page(ctx, Prisoner::toApi,
        (p, after, limit) -> people.prisoners(p, query(ctx), after, limit))));
    b.getRoute("getPrisoner").addHandler(handler(200, ctx ->
        people.prisoner(CurrentPrincipal.of(ctx), ctx.pathParam("id")).map(Prisoner::toApi)));
    b.getRoute("updatePrisoner").addHandler(handler(200, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.updatePrisoner(CurrentPrincipal.of(ctx), ctx.pathParam("id"), new PeopleService.PrisonerChange(
          body.getString("name"), body.containsKey("flags") ? flags(body.getJsonArray("flags")) : null,
          body.containsKey("clearance") ? Clearance.valueOf(body.getString("clearance")) : null, body.getString("pin"),
          body.getString("reason"))).map(Prisoner::toApi);
    }));
    b.getRoute("unlockPrisoner").addHandler(handler(200, ctx -> people.unlock(CurrentPrincipal.of(ctx), ctx.pathParam("id"))
        .map(lifted -> new JsonObject().put("lifted", lifted))));
    b.getRoute("createPerson").addHandler(handler(201, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.createPerson(CurrentPrincipal.of(ctx), new PeopleService.NewPerson(PersonKind.valueOf(body.getString("kind")),
              body.getString("name"), body.getString("email"), body.getString("password"), body.getString("prisoner_id"),
              body.getBoolean("verified", false)))
          .map(c -> withTotp(c.record().toApi(), c.record().email(), c.totpSecret()));
    }));
    b.getRoute("listPeople").addHandler(handler(200, ctx -> page(ctx, PersonOutside::toApi,
        (p, after, limit) -> people.people(p, query(ctx), after, limit))));
    b.getRoute("getPerson").addHandler(handler(200, ctx ->
        people.person(CurrentPrincipal.of(ctx), ctx.pathParam("id")).map(PersonOutside::toApi)));
    b.getRoute("updatePerson").addHandler(handler(200, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.updatePerson(CurrentPrincipal.of(ctx), ctx.pathParam("id"), body.getString("name"),
          body.getBoolean("verified"), body.getString("reason")).map(PersonOutside::toApi);
    }));
    b.getRoute("createStaff").addHandler(handler(201, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.createStaff(CurrentPrincipal.of(ctx), new PeopleService.NewStaff(body.getString("email"),
              body.getString("name"), Role.valueOf(body.getString("role")), body.getString("password")))
          .map(c -> withTotp(c.record().toApi(), c.record().email(), c.totpSecret()));
    }));
    b.getRoute("listStaff").addHandler(handler(200, ctx -> page(ctx, StaffAccount::toApi, people::staff)));
    b.getRoute("updateStaff").addHandler(handler(200, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.updateStaff(CurrentPrincipal.of(ctx), ctx.pathParam("id"), new PeopleService.StaffChange(
          body.getString("name"), body.containsKey("role") ? Role.valueOf(body.getString("role")) : null,
          body.getBoolean("disabled"), body.getString("password"))).map(StaffAccount::toApi);
    }));
    b.getRoute("resetStaff").addHandler(handler(200, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.resetStaff(CurrentPrincipal.of(ctx), ctx.pathParam("id"), body.getBoolean("totp", false), body.getString("reason"))
          .map(r -> withTotp(r.account().toApi(), r.account().email(), r.totpSecret()).put("password", r.password()));
    }));
    b.getRoute("createDevice").addHandler(handler(201, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.createDevice(CurrentPrincipal.of(ctx), body.getString("id"), body.getString("location"));
    }));
    b.getRoute("listDevices").addHandler(handler(200, ctx -> page(ctx, KioskDevice::toJson, people::devices)));
    b.getRoute("updateDevice").addHandler(handler(200, ctx -> {
      JsonObject body = Responses.body(ctx);
      return people.updateDevice(CurrentPrincipal.of(ctx), ctx.pathParam("id"), body.getString("location"),
          body.getBoolean("enrolled")).map(KioskDevice::toJson);
    }));
  }

  /** A page lister of the service. */
  private interface Lister<T> {
    Future<Page<T>> list(Principal p, String after, int limit);
  }

  private static <T> Future<JsonObject> page(RoutingContext ctx, Function<T, JsonObject> view, Lister<T> lister) {
    Principal p = CurrentPrincipal.of(ctx);
    String after = Cursor.decode(ctx.request().getParam("cursor"));
    return lister.list(p, after, limit(ctx)).map(page -> new Page<>(page.items(), Cursor.encode(page.nextCursor())).toJson(view));
  }

  private static io.vertx.core.Handler<RoutingContext> handler(int status, Function<RoutingContext, Future<JsonObject>> fn) {
    return Responses.handler(status, ctx -> {
      try {
        return fn.apply(ctx).recover(e -> Future.failedFuture(toApi(e)));
      } catch (PeopleException e) {
        throw toApi(e);
      }
    });
  }

  private static RuntimeException toApi(Throwable e) {
    if (!(e instanceof PeopleException pe)) {
      return e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
    int status = switch (pe.kind()) {
      case NOT_FOUND -> 404;
      case FORBIDDEN -> 403;
      case CONFLICT -> 409;
      case REFUSED -> 422;
      case AUDIT_PENDING, UNCONFIRMED -> 503;
    };
    return new ApiException(status, pe.code(), pe.getMessage(), pe.field(), null, null);
  }

  private static String query(RoutingContext ctx) {
    String q = ctx.request().getParam("q");
    return q == null || q.isBlank() ? null : q.trim();
  }

  private static int limit(RoutingContext ctx) {
    String l = ctx.request().getParam("limit");
    if (l == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(l.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("INVALID_REQUEST", "'limit' must be a whole number from 1 to " + MAX_LIMIT + ".", "limit");
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
}
