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
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.http.ApiModule;
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
    return OpenAPIContract.from(vertx, openApi.copy()).map(contract -> router(contract, openApiYaml))
        .compose(router -> vertx.createHttpServer(serverOptions(services.config(), tls))
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
        .setMaxFormAttributeSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()));
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(tls.certificate().toString())
          .setKeyPath(tls.privateKey().toString()));
    }
    return options;
  }

}
