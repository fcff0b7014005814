package org.kinlink.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
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
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.ErrorHandler;
import org.kinlink.gateway.http.OpenApiDocument;
import org.kinlink.gateway.http.RequestLog;
import org.kinlink.gateway.http.SelfSignedCertificate;

/** One event loop's HTTP server; the gateway deploys one per core, all sharing {@link Services}. */
public final class GatewayVerticle extends VerticleBase {
  private final Services services;
  private HttpServer server;

  public GatewayVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(OpenApiDocument::load, false)
        .compose(doc -> OpenAPIContract.from(vertx, doc).map(contract -> router(contract, OpenApiDocument.yaml(doc))))
        .compose(router -> vertx.createHttpServer(serverOptions(services.config()))
            .webSocketHandler(ws -> {
              if (org.kinlink.gateway.realtime.Realtime.PATH.equals(ws.path())) {
                services.realtime().accept(ws);
              } else {
                ws.close((short) 1008, "no socket here");
              }
            })
            .requestHandler(router)
            .listen())
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    // let requests in flight finish before the event loop goes away
    return server == null ? Future.succeededFuture() : server.shutdown(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  private Router router(OpenAPIContract contract, String yaml) {
    GatewayConfig config = services.config();
    // the validator must read the body the BodyHandler collected, not the (already consumed) request stream
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    // Vert.x wants platform handlers (the body reader) ahead of user handlers
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    builder.rootHandler(services.auth().authenticator());
    builder.rootHandler(RequestLog::handle);
    builder.rootHandler(GatewayVerticle::securityHeaders);
    for (ApiModule module : services.modules()) {
      module.mount(builder);
    }
    for (OpenAPIRoute route : builder.getRoutes()) {
      if (route.getHandlers().isEmpty()) {
        String op = route.getOperation().getOperationId();
        route.addHandler(ctx -> ctx.fail(new ApiException(501, "NOT_IMPLEMENTED", "Operation " + op + " is not available on this gateway yet.")));
      }
    }
    Router router = builder.createRouter();
    router.get("/api/v1/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .end(yaml));
    for (ApiModule module : services.modules()) {
      module.mountExtra(router);
    }
    router.route("/api/*").handler(ctx -> ctx.fail(ApiException.notFound("There is no API operation at " + ctx.request().path() + ".")));
    router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));
    router.route().failureHandler(ErrorHandler::handle);
    return router;
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        // the web client has no inline scripts or styles and loads nothing from elsewhere
        .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    ctx.next();
  }

  private static HttpServerOptions serverOptions(GatewayConfig config) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setCompressionSupported(true)
        .setMaxFormAttributeSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()));
    if (!config.insecureHttp()) {
      PemKeyCertOptions pem = new PemKeyCertOptions();
      if (config.tlsCertificate().isPresent()) {
        pem.setCertPath(config.tlsCertificate().get().toString()).setKeyPath(config.tlsPrivateKey().orElseThrow().toString());
      } else {
        var files = SelfSignedCertificate.ensure(config.dataDir(), config.host());
        pem.setCertPath(files.certificate().toString()).setKeyPath(files.privateKey().toString());
      }
      options.setSsl(true).setKeyCertOptions(pem);
    }
    return options;
  }

}
