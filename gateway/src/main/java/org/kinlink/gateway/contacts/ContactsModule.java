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
import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.ObligationType;

/**
 * The HTTP surface of contacts, restrictions, clearance and the policy dry run ({@code openapi/contacts.yaml}):
 * everything HTTP is here (status codes, ETags and If-Match, cursors, query parameters, JSON pages);
 * {@link ContactsService} decides in domain terms, so a WebSocket handler can call it the same way.
 */
public final class ContactsModule implements ApiModule {
  private static final String IF_MATCH = "If-Match";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  // bounds that keep every date computation of a dry run (London days, week starts, call ends) in range
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
  private static final Duration LONGEST_CALL = Duration.ofHours(24);

  private final ContactsService service;

  public ContactsModule(ContactsService service) {
    this.service = service;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("proposeContact").addHandler(write(ctx -> service.propose(CurrentPrincipal.of(ctx),
        Responses.body(ctx), ctx.request().getHeader(IDEMPOTENCY_KEY))));
    builder.getRoute("listContacts").addHandler(Responses.handler(200, ctx -> service.list(CurrentPrincipal.of(ctx),
        ctx.request().getParam("prisoner"), ctx.request().getParam("state"), limit(ctx), after(ctx))
        .map(page -> page(page.items(), page.next() == null ? null
            : Cursors.encode(Long.toString((long) page.next().score()), page.next().member())))));
    builder.getRoute("getContact").addHandler(Responses.handler(200, ctx -> service.get(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("approveContact").addHandler(transition(ContactsService.Transition.APPROVE));
    builder.getRoute("suspendContact").addHandler(transition(ContactsService.Transition.SUSPEND));
    builder.getRoute("revokeContact").addHandler(transition(ContactsService.Transition.REVOKE));
    builder.getRoute("getContactPolicy").addHandler(tagged(ctx -> service.policy(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("putContactPolicy").addHandler(write(ctx -> service.putPolicy(CurrentPrincipal.of(ctx), id(ctx),
        Responses.body(ctx), ifMatch(ctx), ctx.request().getHeader(IDEMPOTENCY_KEY))));
    builder.getRoute("listContactPolicyVersions").addHandler(Responses.handler(200,
        ctx -> service.versions(CurrentPrincipal.of(ctx), id(ctx), limit(ctx), before(ctx)).map(ContactsModule::page)));
    builder.getRoute("getClearance").addHandler(tagged(ctx -> service.clearance().get(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("putClearance").addHandler(write(ctx -> service.clearance().put(CurrentPrincipal.of(ctx), id(ctx),
        Responses.body(ctx), ifMatch(ctx), ctx.request().getHeader(IDEMPOTENCY_KEY))));
    builder.getRoute("listClearanceVersions").addHandler(Responses.handler(200,
        ctx -> service.clearance().versions(CurrentPrincipal.of(ctx), id(ctx), limit(ctx), before(ctx))
            .map(ContactsModule::page)));
    builder.getRoute("evaluatePolicy").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.of(ctx);
      return service.evaluate(p, ask(p, Responses.body(ctx)));
    }));
  }

  private io.vertx.core.Handler<RoutingContext> transition(ContactsService.Transition t) {
    return write(ctx -> service.transition(CurrentPrincipal.of(ctx), id(ctx), t, Responses.body(ctx), ifMatch(ctx),
        ctx.request().getHeader(IDEMPOTENCY_KEY)));
  }

  /** A write: 201 when it created the record, else 200; the body; the new version as the ETag. */
  private static io.vertx.core.Handler<RoutingContext> write(Function<RoutingContext, Future<ContactsService.Written>> fn) {
    return ctx -> {
      Future<ContactsService.Written> f;
      try {
        f = fn.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      f.onSuccess(a -> {
        if (a.version() != null) {
          ctx.response().putHeader("ETag", "\"" + a.version() + "\"");
        }
        Responses.json(ctx, a.created() ? 201 : 200, a.body());
      }).onFailure(ctx::fail);
    };
  }

  /** A read whose body carries a {@code version}, sent as the ETag too. */
  private static io.vertx.core.Handler<RoutingContext> tagged(Function<RoutingContext, Future<JsonObject>> fn) {
    return write(ctx -> fn.apply(ctx).map(body -> new ContactsService.Written(body, body.getInteger("version"), false)));
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("id");
  }

  /** {@code {items, next_cursor}}, the one list shape. */
  private static JsonObject page(List<JsonObject> items, String nextCursor) {
    return new JsonObject().put("items", new JsonArray(items)).put("next_cursor", nextCursor);
  }

  private static JsonObject page(ContactsService.VersionPage page) {
    return page(page.items(), page.nextBefore() == null ? null : Cursors.encode(page.nextBefore().toString()));
  }

  /** Where a contacts page starts, from its cursor (null: the first page). */
  private static IndexPager.After after(RoutingContext ctx) {
    String cursor = ctx.request().getParam("cursor");
    if (cursor == null) {
      return null;
    }
    List<String> parts = Cursors.decode(cursor, 2);
    try {
      return new IndexPager.After(Long.parseLong(parts.get(0)), parts.get(1));
    } catch (NumberFormatException e) {
      throw Cursors.invalid();
    }
  }

  /** The version a versions page starts below, from its cursor (null: the newest). */
  private static Integer before(RoutingContext ctx) {
    String cursor = ctx.request().getParam("cursor");
    return cursor == null ? null : Cursors.number(cursor);
  }

  /** The version If-Match names ({@code "3"}, {@code 3} or {@code W/"3"}), null without one; 400 otherwise. */
  static Integer ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader(IF_MATCH);
    if (header == null) {
      return null;
    }
    String s = header.trim();
    if (s.startsWith("W/")) {
      s = s.substring(2);
    }
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    try {
      int v = Integer.parseInt(s);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiException.badRequest("INVALID_IF_MATCH", "If-Match must be the version you read, e.g. \"3\".", "If-Match");
  }

  private static int limit(RoutingContext ctx) {
    String s = ctx.request().getParam("limit");
    if (s == null) {
      return 50;
    }
    try {
      int n = Integer.parseInt(s.trim());
      if (n >= 1 && n <= 200) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("INVALID_REQUEST", "limit must be a whole number from 1 to 200.", "limit");
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
      if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
        throw ApiException.badRequest("INVALID_REQUEST", "at must be between the years 2000 and 2100.", "at");
      }
    }
    Duration duration = null;
    if (body.getString("duration") != null) {
      try {
        duration = Duration.parse(body.getString("duration"));
      } catch (DateTimeParseException | ArithmeticException e) {
        throw ApiException.badRequest("INVALID_REQUEST", "duration must be an ISO-8601 duration such as PT30M.", "duration");
      }
      if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST_CALL) > 0) {
        throw ApiException.badRequest("INVALID_REQUEST", "duration must be positive and at most 24 hours (PT24H).",
            "duration");
      }
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
