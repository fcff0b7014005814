package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.Locale;
import java.util.regex.Pattern;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.ErrorHandler;
import org.kinlink.gateway.http.Responses;
import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.media.embedded.EmbeddedMediaBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface of calls ({@code openapi/calls.yaml}) and the {@code /join/{token}} page route. */
public final class CallsModule implements org.kinlink.gateway.http.ApiModule {
  private static final Logger log = LoggerFactory.getLogger(CallsModule.class);
  /** The largest recording chunk a kiosk may upload (its request body), in bytes. */
  public static final int MAX_CHUNK_BYTES = Recordings.MAX_CHUNK_BYTES;
  private final CallsService calls;
  private final Recordings recordings;
  private final EmbeddedMediaBackend media;
  private final CallSettingsService settings;

  CallsModule(CallsService calls, Recordings recordings, EmbeddedMediaBackend media, CallSettingsService settings) {
    this.calls = calls;
    this.recordings = recordings;
    this.media = media;
    this.settings = settings;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("requestCall").addHandler(ctx -> {
      try {
        calls.request(CurrentPrincipal.of(ctx), Responses.body(ctx))
            .onSuccess(a -> Responses.json(ctx, a.status(), a.body())).onFailure(ctx::fail);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
    builder.getRoute("listCalls").addHandler(Responses.handler(200, ctx -> calls.list(CurrentPrincipal.of(ctx),
        ctx.request().getParam("from"), ctx.request().getParam("to"), ctx.request().getParam("cursor"), limit(ctx))));
    builder.getRoute("listLiveCalls").addHandler(Responses.handler(200, ctx -> calls.live(CurrentPrincipal.of(ctx), media::present)));
    builder.getRoute("getCall").addHandler(Responses.handler(200, ctx -> calls.get(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("approveCall").addHandler(Responses.handler(200, ctx -> calls.approve(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("rejectCall").addHandler(Responses.handler(200, ctx -> calls.reject(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("cancelCall").addHandler(Responses.handler(200, ctx -> calls.cancel(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("terminateCall").addHandler(Responses.handler(200, ctx -> calls.terminate(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("monitorCall").addHandler(Responses.handler(200, ctx -> calls.monitor(CurrentPrincipal.of(ctx), id(ctx), reason(ctx))));
    builder.getRoute("joinCall").addHandler(Responses.handler(200, ctx -> calls.join(CurrentPrincipal.of(ctx), id(ctx))));
    builder.getRoute("createJoinLink").addHandler(ctx -> {
      try {
        calls.createLink(CurrentPrincipal.of(ctx), id(ctx), Responses.body(ctx).getString("child_id"))
            .onSuccess(a -> Responses.json(ctx, a.status(), a.body())).onFailure(ctx::fail);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
    builder.getRoute("redeemJoinLink").addHandler(Responses.handler(200, ctx -> calls.redeem(ctx.pathParam("token"),
        Responses.body(ctx).getString("device_id"))));
    builder.getRoute("uploadRecordingChunk").addHandler(Responses.handler(200, ctx -> {
      byte[] slice = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      return recordings.chunk(CurrentPrincipal.of(ctx), id(ctx), Long.parseLong(ctx.request().getParam("seq")), slice,
          ctx.request().getParam("mime"));
    })).addFailureHandler(ctx -> {
      // the body reader's own refusal (a body sent without Content-Length that ran past the limit) says the limit too
      if (ctx.failure() == null && ctx.statusCode() == 413) {
        ErrorHandler.send(ctx, Recordings.chunkSizeRefused(-1));
      } else {
        ctx.next();
      }
    });
    builder.getRoute("listRecordings").addHandler(Responses.handler(200, ctx -> recordings.list(CurrentPrincipal.of(ctx), id(ctx),
        ctx.request().getParam("reason"))));
    builder.getRoute("listEstablishmentRecordings").addHandler(Responses.handler(200, ctx -> recordings.listEstablishment(
        CurrentPrincipal.of(ctx), ctx.request().getParam("cursor"), limit(ctx))));
    builder.getRoute("holdCallRecordings").addHandler(Responses.handler(200, ctx -> {
      JsonObject b = Responses.body(ctx);
      return recordings.hold(CurrentPrincipal.of(ctx), id(ctx), b.getBoolean("held"), b.getString("reason"));
    }));
    builder.getRoute("getCallSettings").addHandler(Responses.handler(200, ctx -> settings.get(CurrentPrincipal.of(ctx),
        ctx.pathParam("id"))));
    builder.getRoute("putCallSettings").addHandler(Responses.handler(200, ctx -> settings.put(CurrentPrincipal.of(ctx),
        ctx.pathParam("id"), Responses.body(ctx))));
    builder.getRoute("playRecording").addHandler(ctx -> {
      try {
        recordings.play(CurrentPrincipal.of(ctx), ctx.pathParam("recordingId"), ctx.request().getParam("reason"))
            .onSuccess(p -> stream(ctx, p))
            .onFailure(ctx::fail);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  /**
   * Sends a recording chunk by chunk, in seq order, as a chunked response: the next chunk is read and
   * opened only once the previous one is written and the connection's write queue has room, so a
   * long recording to a slow client costs one chunk of memory or two, never the recording.
   */
  private static void stream(RoutingContext ctx, Recordings.Playback p) {
    HttpServerResponse res = ctx.response();
    res.setChunked(true).putHeader("Content-Type", p.mime()).putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff");
    if (p.chunks() == 0) {
      res.end();
      return;
    }
    pump(ctx, p, 0, p.chunk().apply(0));
  }

  private static void pump(RoutingContext ctx, Recordings.Playback p, long seq, Future<Buffer> reading) {
    HttpServerResponse res = ctx.response();
    reading.onComplete(ar -> {
      if (res.closed()) {
        return; // the player went away: stop reading
      }
      if (ar.failed()) {
        // the head is out, so no error body can follow: cut the response short so the client cannot take it for the whole recording
        log.error("recording playback stopped at chunk {} of {}", seq, ctx.pathParam("recordingId"), ar.cause());
        res.reset();
        return;
      }
      if (ar.result() != null) { // null: a seq the kiosk never delivered, a gap in the recording
        res.write(ar.result());
      }
      long following = seq + 1;
      if (following >= p.chunks()) {
        res.end();
        return;
      }
      if (res.writeQueueFull()) {
        res.drainHandler(v -> {
          res.drainHandler(null);
          pump(ctx, p, following, p.chunk().apply(following));
        });
      } else {
        pump(ctx, p, following, p.chunk().apply(following));
      }
    });
  }

  /**
   * The recording kiosk's chunk upload: the MediaRecorder slice as an {@code application/octet-stream}
   * body, read under the chunk limit rather than max-body-bytes. The type and a declared length are
   * checked before a byte of the body is read.
   */
  public static boolean isChunkUpload(HttpServerRequest request) {
    return request.method() == HttpMethod.POST && CHUNK_UPLOAD.matcher(request.path()).matches();
  }

  private static final Pattern CHUNK_UPLOAD = Pattern.compile("^/api/v1/calls/[^/]+/recording/chunks$");
  private static final String REFUSED = "kinlink.chunk-refused";

  /**
   * The body reader for {@link #isChunkUpload} requests (a root handler, in place of the general one).
   * A wrong type or a declared length out of bounds leaves the body unread and is answered by
   * {@link #refuseBadChunk}, after authentication, so a signed-out or password-change-only session hears that first.
   */
  public static Handler<RoutingContext> chunkBodyReader() {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(Recordings.MAX_CHUNK_BYTES);
    return ctx -> {
      ApiException refused = refusedByHead(ctx.request());
      if (refused != null) {
        ctx.put(REFUSED, refused);
        ctx.next();
      } else {
        body.handle(ctx);
      }
    };
  }

  /**
   * A root handler after authentication: answers the refusal {@link #chunkBodyReader} found, if any
   * (a signed-out caller hears 401 instead, as from the handler that would have run).
   */
  public static void refuseBadChunk(RoutingContext ctx) {
    ApiException refused = ctx.get(REFUSED);
    if (refused == null) {
      ctx.next();
    } else if (CurrentPrincipal.find(ctx).isEmpty()) {
      ctx.fail(ApiException.unauthorized("Sign in first: this needs a valid access token."));
    } else {
      ctx.fail(refused);
    }
  }

  private static ApiException refusedByHead(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    if (type == null || !"application/octet-stream".equals(type.split(";")[0].trim().toLowerCase(Locale.ROOT))) {
      return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Send the recording chunk itself as the body, with "
          + "Content-Type: application/octet-stream (seq and mime go in the query).");
    }
    String length = request.getHeader("Content-Length");
    if (length != null && length.matches("[0-9]{1,18}")) {
      long declared = Long.parseLong(length);
      if (declared == 0 || declared > Recordings.MAX_CHUNK_BYTES) {
        return Recordings.chunkSizeRefused(declared);
      }
    }
    return null;
  }

  @Override
  public void mountExtra(Router router) {
    // the child's page: one static file for every token (the page reads the token from its own address)
    router.getWithRegex("/join/[A-Za-z0-9_-]{20,100}").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store").sendFile("webroot/join/index.html").onFailure(ctx::fail));
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("callId");
  }

  private static String reason(RoutingContext ctx) {
    return Responses.body(ctx).getString("reason");
  }

  private static int limit(RoutingContext ctx) {
    String s = ctx.request().getParam("limit");
    return s == null ? 50 : Integer.parseInt(s);
  }
}
