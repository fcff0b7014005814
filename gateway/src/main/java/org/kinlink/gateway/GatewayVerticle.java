package org.kinlink.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.config.HttpSettings;
import org.kinlink.gateway.http.ConnectionGuard;
import org.kinlink.gateway.http.FrontDoor;
import org.kinlink.gateway.http.JsonLimits;
import org.kinlink.gateway.http.ParameterChecks;
import org.kinlink.gateway.ops.OpsModule;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.ApiPaths;
import org.kinlink.gateway.http.ErrorHandler;
import org.kinlink.gateway.http.RequestLog;
import org.kinlink.gateway.http.SelfSignedCertificate;

/** One event loop's HTTP server; the gateway deploys one per core, all sharing {@link Services}. */
public final class GatewayVerticle extends VerticleBase {
  private final Services services;
  private final JsonObject openApi;
  private final String openApiYaml;
  private final SelfSignedCertificate.PemFiles tls;
  private HttpServer server;
  private HttpServer ops;

  /**
   * @param openApi the merged contract, read once for all verticles
   * @param tls the certificate and key to serve, made before any verticle starts; null for plain HTTP
   */
  public GatewayVerticle(Services services, JsonObject openApi, String openApiYaml, SelfSignedCertificate.PemFiles tls) {
    this.services = services;
    this.openApi = openApi;
    this.openApiYaml = openApiYaml;
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    GatewayConfig config = services.config();
    HttpSettings http = config.http();
    boolean secure = tls != null;
    ConnectionGuard guard = ConnectionGuard.shared(vertx, services.metrics(), "main", http.maxConnections(), http.maxConnectionsPerSource(),
        http.headerTimeout().toMillis());
    // the operations listener has its own small cap, so a flood of the main one never reaches it
    ConnectionGuard opsGuard = ConnectionGuard.shared(vertx, services.metrics(), "ops", http.opsMaxConnections(), http.opsMaxConnections(),
        http.headerTimeout().toMillis());
    return OpenAPIContract.from(vertx, openApi.copy()).map(contract -> router(contract, openApiYaml))
        .compose(router -> vertx.createHttpServer(serverOptions(config, tls))
            .connectionHandler(guard::accept)
            .invalidRequestHandler(FrontDoor.invalidRequests(secure))
            // the WebSocket hub takes upgrades before the router (its auth is the first frame, not a header);
            // the upgrade was a complete request head, so the connection guard stops its header timer
            .webSocketHandler(ws -> {
              guard.webSocketArrived(ws.remoteAddress());
              if (org.kinlink.gateway.realtime.Realtime.PATH.equals(ws.path())) {
                services.realtime().accept(ws);
              } else {
                ws.close((short) 1008, "no socket here");
              }
            })
            .requestHandler(new FrontDoor(withScrapeToken(router, opsRouter()), secure, guard))
            .listen())
        .onSuccess(s -> server = s)
        .compose(s -> vertx.createHttpServer(opsOptions(http))
            .connectionHandler(opsGuard::accept)
            .invalidRequestHandler(FrontDoor.invalidRequests(false))
            .requestHandler(new FrontDoor(opsRouter(), false, opsGuard))
            .listen())
        .onSuccess(s -> ops = s);
  }

  @Override
  public Future<?> stop() {
    // let requests in flight finish before the event loop goes away
    Future<Void> opsStopped = ops == null ? Future.succeededFuture() : ops.close();
    return opsStopped.compose(v -> server == null ? Future.succeededFuture()
        : server.shutdown(10, java.util.concurrent.TimeUnit.SECONDS));
  }

  /** Probes and metrics for the operator, on the loopback listener: the same handlers as on the main one. */
  private Router opsRouter() {
    Router router = Router.router(vertx);
    for (ApiModule module : services.modules()) {
      if (module instanceof OpsModule) {
        module.mountExtra(router);
      }
    }
    router.route().failureHandler(ErrorHandler::handle);
    ErrorHandler.forUnmatched(router);
    return router;
  }

  /**
   * On the main listener {@code /metrics} is answered (by the operations router) only to the scrape
   * token; without a token configured it is not there at all. Checked before the router, whose
   * authenticator would take the token for an access token.
   */
  private io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> withScrapeToken(Router main, Router ops) {
    byte[] expected = services.config().http().metricsToken()
        .map(t -> ("Bearer " + t).getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
    return request -> {
      String given = request.getHeader("Authorization");
      if (expected != null && given != null && "/metrics".equals(request.path())
          && java.security.MessageDigest.isEqual(expected, given.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
        ops.handle(request);
      } else {
        main.handle(request);
      }
    };
  }

  private Router router(OpenAPIContract contract, String yaml) {
    GatewayConfig config = services.config();
    // the validator must read the body the BodyHandler collected, not the (already consumed) request stream
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    // Vert.x wants platform handlers (the body reader) ahead of user handlers
    // a photo upload is the one body allowed past max-body-bytes, up to the photo limit (plus a little
    // for the request), so a phone's picture of a drawing is not refused as "too large"
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    BodyHandler photos = BodyHandler.create(false).setBodyLimit(Math.max(config.maxBodyBytes(),
        org.kinlink.gateway.messaging.PhotoImages.MAX_BYTES + 64 * 1024));
    // a recording chunk (octet-stream) is read under the chunk limit, whatever max-body-bytes says
    io.vertx.core.Handler<RoutingContext> chunks = org.kinlink.gateway.calls.CallsModule.chunkBodyReader();
    builder.rootHandler(ctx -> {
      if (org.kinlink.gateway.calls.CallsModule.isChunkUpload(ctx.request())) {
        chunks.handle(ctx);
      } else if (org.kinlink.gateway.jitsi.JitsiModule.streamsItsBody(ctx.request())) {
        // a Jibri recording (up to gigabytes): held until its handler streams it, sealed chunk by chunk, under its own limit
        ctx.request().pause();
        ctx.next();
      } else {
        (isPhotoUpload(ctx) ? photos : bodies).handle(ctx);
      }
    });
    builder.rootHandler(services.auth().authenticator());
    builder.rootHandler(RequestLog::handle);
    // a chunk upload's wrong type or size, answered once the caller is known (after sign-in and password checks)
    builder.rootHandler(org.kinlink.gateway.calls.CallsModule::refuseBadChunk);
    builder.rootHandler(new JsonLimits(config.http()));
    java.util.Set<OpenAPIRoute> checked = new java.util.HashSet<>();
    ApiPaths paths = new ApiPaths();
    for (OpenAPIRoute route : builder.getRoutes()) {
      paths.add(route.getOperation());
      var check = ParameterChecks.forOperation(route.getOperation());
      if (check != null) {
        route.addHandler(check);
        checked.add(route);
      }
    }
    for (ApiModule module : services.modules()) {
      module.mount(builder);
    }
    for (OpenAPIRoute route : builder.getRoutes()) {
      if (route.getHandlers().size() == (checked.contains(route) ? 1 : 0)) {
        String op = route.getOperation().getOperationId();
        route.addHandler(ctx -> ctx.fail(new ApiException(501, "NOT_IMPLEMENTED", "Operation " + op + " is not available on this gateway yet.")));
      }
    }
    Router router = builder.createRouter();
    router.get("/api/v1/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .end(yaml));
    router.get("/metrics").handler(ctx -> ctx.fail(ApiException.notFound("There is nothing at this address.")));
    for (ApiModule module : services.modules()) {
      module.mountExtra(router);
    }
    router.route("/api/*").handler(paths::unmatched);
    router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));
    // a browser asking for an unknown page gets a styled page with a title, a language and a link home;
    // any other client gets the API's error shape (ErrorHandler)
    router.route("/*").method(io.vertx.core.http.HttpMethod.GET).method(io.vertx.core.http.HttpMethod.HEAD)
        .handler(ctx -> {
          String accept = ctx.request().getHeader("Accept");
          if (accept == null || !accept.contains("text/html")) {
            ctx.next();
            return;
          }
          ctx.response().setStatusCode(404).putHeader("Content-Type", "text/html; charset=utf-8")
              .sendFile("webroot/404.html");
        });
    router.route().failureHandler(ErrorHandler::handle);
    ErrorHandler.forUnmatched(router);
    return router;
  }

  private static final java.util.regex.Pattern PHOTO_UPLOAD = java.util.regex.Pattern.compile("^/api/v1/conversations/[^/]+/photos$");

  private static boolean isPhotoUpload(RoutingContext ctx) {
    return ctx.request().method() == io.vertx.core.http.HttpMethod.POST && PHOTO_UPLOAD.matcher(ctx.request().path()).matches();
  }

  private static HttpServerOptions opsOptions(HttpSettings http) {
    return new HttpServerOptions()
        .setHttp2ClearTextEnabled(false)
        .setHost(http.opsHost())
        .setPort(http.opsPort())
        .setIdleTimeout((int) Math.max(1, http.idleTimeout().toMillis()))
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** The PEM files to serve over TLS: the configured pair, or the data dir's self-signed one (made here once). */
  public static SelfSignedCertificate.PemFiles tlsFiles(GatewayConfig config) {
    if (config.insecureHttp()) {
      return null;
    }
    if (config.tlsCertificate().isPresent()) {
      return new SelfSignedCertificate.PemFiles(config.tlsCertificate().get(), config.tlsPrivateKey().orElseThrow());
    }
    return SelfSignedCertificate.ensure(config.dataDir(), config.host());
  }

  private static HttpServerOptions serverOptions(GatewayConfig config, SelfSignedCertificate.PemFiles tls) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setCompressionSupported(true)
        // without h2c detection a connection is handed to the connection guard as it opens, not at its first byte
        .setHttp2ClearTextEnabled(false)
        // an idle connection (WebSockets included: their clients ping) is closed after this
        .setIdleTimeout((int) Math.max(1, config.http().idleTimeout().toMillis()))
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setMaxFormAttributeSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()));
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(tls.certificate().toString())
          .setKeyPath(tls.privateKey().toString()));
    }
    return options;
  }

}
