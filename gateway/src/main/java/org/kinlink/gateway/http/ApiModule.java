package org.kinlink.gateway.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** One capability's HTTP surface: handlers for its OpenAPI operations, plus any routes outside the contract. */
public interface ApiModule {

  /** Attaches handlers to this module's operations, looked up by operationId. */
  void mount(RouterBuilder builder);

  /** Routes that are not in the OpenAPI document (WebSocket, static files); none by default. */
  default void mountExtra(Router router) {}
}
