package org.kinlink.gateway.audit;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.time.Instant;
import org.kinlink.gateway.audit.AuditReader.SeqRange;
import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.Cursor;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/audit} and {@code GET /api/v1/audit/verify}, for security staff only.
 * Every read is first appended to the chain (so it is on record before anything is disclosed) and
 * then reads only entries before its own.
 */
public final class AuditModule implements ApiModule {
  private static final Logger log = LoggerFactory.getLogger(AuditModule.class);
  private static final int DEFAULT_LIMIT = 100;
  /** Entries fetched per round trip while streaming. */
  private static final int STREAM_PAGE = 500;

  private final RedisAuditLog audit;
  private final AuditReader reader;
  private final ActorNames names;

  public AuditModule(RedisAuditLog audit) {
    this(audit, ActorNames.NONE);
  }

  /** @param names who the actors of a page's entries are, for the reader's establishment (the list shows names, not ids) */
  public AuditModule(RedisAuditLog audit, ActorNames names) {
    this.audit = audit;
    this.reader = audit.reader();
    this.names = names;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("listAudit").addHandler(this::list);
    builder.getRoute("verifyAudit").addHandler(this::verify);
  }

  private void verify(RoutingContext ctx) {
    Principal p;
    try {
      p = CurrentPrincipal.requireRole(ctx, Role.SECURITY);
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    Responses.reply(ctx, 200, audit.append(AuditEvent.by(p, "audit.verify").build())
        .compose(entry -> audit.verify(ctx.vertx()))
        .map(AuditVerification::toJson));
  }

  private void list(RoutingContext ctx) {
    Principal p;
    AuditFilter filter;
    int limit;
    long after;
    try {
      p = CurrentPrincipal.requireRole(ctx, Role.SECURITY);
      Instant from = time(ctx, "from");
      Instant to = time(ctx, "to");
      if (from != null && to != null && !from.isBefore(to)) {
        throw ApiException.badRequest("INVALID_REQUEST", "'to' must be later than 'from'.", "to");
      }
      filter = new AuditFilter(p.establishment(), from, to, param(ctx, "prisoner"), param(ctx, "contact"),
          param(ctx, "action"), param(ctx, "actor"));
      String limitParam = param(ctx, "limit");
      limit = limitParam == null ? -1 : Integer.parseInt(limitParam);
      after = position(param(ctx, "cursor"));
    } catch (NumberFormatException e) {
      ctx.fail(ApiException.badRequest("INVALID_REQUEST", "'limit' must be a whole number.", "limit"));
      return;
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    if (p.establishment() == null) {
      ctx.fail(ApiException.forbidden("Your account belongs to no establishment, so there is no audit for you to read."));
      return;
    }
    AuditFormat format = AuditFormat.fromAccept(ctx.request().getHeader("Accept"));
    AuditEvent event = AuditEvent.by(p, format == AuditFormat.JSON ? "audit.read" : "audit.export")
        .detail("filter", filter.toJson())
        .detail("format", format.name().toLowerCase(java.util.Locale.ROOT))
        .build();
    Future<SeqRange> range = audit.append(event).compose(own -> reader.range(filter, own.seq() - 1));
    if (format == AuditFormat.JSON) {
      int pageSize = limit < 0 ? DEFAULT_LIMIT : limit;
      Responses.reply(ctx, 200, range.compose(r -> reader.page(filter, r, after, pageSize))
          .compose(page -> withActors(p.establishment(), page.entries())
              .map(items -> new JsonObject()
                  .put("items", new JsonArray(items))
                  .put("next_cursor", Cursor.encode(page.nextCursor())))));
      return;
    }
    range.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        stream(ctx, format, filter, ar.result(), after, limit < 0 ? Long.MAX_VALUE : limit, true);
      }
    });
  }

  /**
   * The entries as the list shows them: each as stored (what its hash covers) plus {@code actor},
   * who acted in words ({@code {id, kind, name?, role, on_record}}), resolved once per distinct actor.
   */
  private Future<java.util.List<JsonObject>> withActors(String establishment, java.util.List<JsonObject> entries) {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    entries.forEach(e -> ids.add(e.getString("actor_id", "")));
    return names.of(establishment, ids).map(known -> entries.stream().map(e -> {
      String id = e.getString("actor_id", "");
      JsonObject actor = known.containsKey(id) ? known.get(id).copy() : new JsonObject().put("id", id).put("kind", "unknown").put("on_record", true);
      return e.copy().put("actor", actor.put("role", e.getString("actor_role")));
    }).toList());
  }

  /** Writes pages as they come, pausing while the client's socket is full; headers go with the first page. */
  private void stream(RoutingContext ctx, AuditFormat format, AuditFilter filter, SeqRange range, long after,
      long remaining, boolean first) {
    HttpServerResponse res = ctx.response();
    if (res.closed()) {
      return;
    }
    reader.page(filter, range, after, (int) Math.min(STREAM_PAGE, remaining)).onComplete(ar -> {
      if (ar.failed()) {
        if (first) {
          ctx.fail(ar.cause());
        } else {
          // the status is already sent: cut the connection so the client sees an incomplete stream, not a short one
          log.warn("audit export failed mid-stream: {}", ar.cause().toString());
          ctx.request().connection().close();
        }
        return;
      }
      AuditReader.Page page = ar.result();
      StringBuilder text = new StringBuilder();
      if (first) {
        res.setStatusCode(200).setChunked(true)
            .putHeader("Content-Type", format.contentType())
            .putHeader("Cache-Control", "no-store")
            .putHeader("Content-Disposition", "attachment; filename=\"audit." + (format == AuditFormat.CSV ? "csv" : "ndjson") + "\"");
        text.append(format.header());
      }
      for (JsonObject entry : page.entries()) {
        text.append(format.line(entry));
      }
      long left = remaining - page.entries().size();
      boolean done = page.nextCursor() == null || left <= 0;
      if (done) {
        res.end(Buffer.buffer(text.toString()));
        return;
      }
      if (!text.isEmpty()) {
        res.write(Buffer.buffer(text.toString()));
      }
      long next = Long.parseLong(page.nextCursor());
      if (res.writeQueueFull()) {
        res.drainHandler(v -> stream(ctx, format, filter, range, next, left, false));
      } else {
        stream(ctx, format, filter, range, next, left, false);
      }
    });
  }

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** A time bound, or 400 naming the field. */
  private static Instant time(RoutingContext ctx, String name) {
    String value = param(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return AuditFilter.parseTime(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_REQUEST", "'" + name + "' " + e.getMessage() + ".", name);
    }
  }

  /** The entry a page starts after: 0 for the first page, else what the API's opaque cursor holds. */
  private static long position(String cursor) {
    String at = Cursor.decode(cursor);
    if (at == null) {
      return 0;
    }
    try {
      return Long.parseLong(at);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this API gave out; pass next_cursor back unchanged.", "cursor");
    }
  }
}
