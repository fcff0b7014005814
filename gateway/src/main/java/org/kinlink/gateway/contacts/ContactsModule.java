package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.kinlink.gateway.auth.CurrentPrincipal;
import org.kinlink.gateway.auth.Principal;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.ObligationType;

/** The HTTP surface of contacts, restrictions, clearance and the policy dry run ({@code openapi/contacts.yaml}). */
public final class ContactsModule implements ApiModule {
  private static final String IF_MATCH = "If-Match";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final ContactsService service;

  public ContactsModule(ContactsService service) {
    this.service = service;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("proposeContact").addHandler(write(ctx -> service.propose(CurrentPrincipal.of(ctx),
        Responses.body(ctx), ctx.request().getHeader(IDEMPOTENCY_KEY))));
    builder.getRoute("listContacts").addHandler(Responses.handler(200, ctx -> service.list(CurrentPrincipal.of(ctx),
        ctx.request().getParam("prisoner"), ctx.request().getParam("state"), limit(ctx), ctx.request().getParam("cursor"))));
    builder.getRoute("getContact").addHandler(Responses.handler(200, ctx -> service.get(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("approveContact").addHandler(transition(ContactsService.Transition.APPROVE));
    builder.getRoute("suspendContact").addHandler(transition(ContactsService.Transition.SUSPEND));
    builder.getRoute("revokeContact").addHandler(transition(ContactsService.Transition.REVOKE));
    builder.getRoute("getContactPolicy").addHandler(tagged(ctx -> service.policy(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("putContactPolicy").addHandler(write(ctx -> service.putPolicy(CurrentPrincipal.of(ctx), id(ctx),
        Responses.body(ctx), ctx.request().getHeader(IF_MATCH), ctx.request().getHeader(IDEMPOTENCY_KEY))));
    builder.getRoute("listContactPolicyVersions").addHandler(Responses.handler(200,
        ctx -> service.versions(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("getClearance").addHandler(tagged(ctx -> service.clearance(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("putClearance").addHandler(write(ctx -> service.putClearance(CurrentPrincipal.of(ctx), id(ctx),
        Responses.body(ctx), ctx.request().getHeader(IF_MATCH), ctx.request().getHeader(IDEMPOTENCY_KEY))));
    builder.getRoute("listClearanceVersions").addHandler(Responses.handler(200,
        ctx -> service.clearanceVersions(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("evaluatePolicy").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.of(ctx);
      return service.evaluate(p, ask(p, Responses.body(ctx)));
    }));
  }

  private io.vertx.core.Handler<RoutingContext> transition(ContactsService.Transition t) {
    return write(ctx -> service.transition(CurrentPrincipal.of(ctx), id(ctx), t, Responses.body(ctx),
        ctx.request().getHeader(IF_MATCH), ctx.request().getHeader(IDEMPOTENCY_KEY)));
  }

  /** A write: its answer's status, body and (when it has a version) ETag. */
  private static io.vertx.core.Handler<RoutingContext> write(Function<RoutingContext, Future<ContactsService.Answer>> fn) {
    return ctx -> {
      Future<ContactsService.Answer> f;
      try {
        f = fn.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      f.onSuccess(a -> {
        if (a.etag() != null) {
          ctx.response().putHeader("ETag", "\"" + a.etag() + "\"");
        }
        Responses.json(ctx, a.status(), a.body());
      }).onFailure(ctx::fail);
    };
  }

  /** A read whose body carries a {@code version}, sent as the ETag too. */
  private static io.vertx.core.Handler<RoutingContext> tagged(Function<RoutingContext, Future<JsonObject>> fn) {
    return write(ctx -> fn.apply(ctx).map(body -> new ContactsService.Answer(200, body, body.getInteger("version"))));
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("id");
  }

  private static int limit(RoutingContext ctx) {
    String s = ctx.request().getParam("limit");
    return s == null ? 50 : Integer.parseInt(s);
  }

  /** The dry run's question, from the request body (already shaped by the OpenAPI schema). */
  static ContactDecisions.Ask ask(Principal p, JsonObject body) {
    Action action = Action.valueOf(body.getString("action"));
    Instant at = null;
    if (body.getString("at") != null) {
      try {
        at = OffsetDateTime.parse(body.getString("at")).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("INVALID_REQUEST", "at must be an ISO-8601 date-time with offset.", "at");
      }
    }
    Duration duration = null;
    if (body.getString("duration") != null) {
      // no call is longer than a day; longer ones would overflow when turned into minutes
      duration = org.kinlink.gateway.http.Values.duration(body.getString("duration"), "duration", Duration.ofDays(1));
    }
    String as = body.getString("as", action.isContact() ? "PRISONER" : "ME");
    ContactDecisions.As who = switch (as) {
      case "PARTY" -> ContactDecisions.As.PARTY;
      case "ME" -> ContactDecisions.As.PRINCIPAL;
      default -> ContactDecisions.As.PRISONER;
    };
    Set<ObligationType> enforceable = null;
    JsonArray given = body.getJsonArray("enforceable");
    if (given != null) {
      enforceable = EnumSet.noneOf(ObligationType.class);
      for (Object o : given) {
        enforceable.add(ObligationType.valueOf((String) o));
      }
    }
    List<String> participants = body.getJsonArray("participants", new JsonArray()).stream().map(String.class::cast).toList();
    return new ContactDecisions.Ask(action, body.getString("contact_id"), p, who, at, participants, duration,
        body.getString("content"), body.getBoolean("photo", false), enforceable);
  }
}
