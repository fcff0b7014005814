package org.kinlink.gateway.messaging;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;

/** The HTTP surface of messages and the review queue ({@code openapi/messaging.yaml}). */
public final class MessagingModule implements ApiModule {
  private final MessagingService messages;
  private final ReviewService reviews;
  private final Retention retention;

  public MessagingModule(MessagingService messages, ReviewService reviews, Retention retention) {
    this.messages = messages;
    this.reviews = reviews;
    this.retention = retention;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("listConversations").addHandler(Responses.handler(200, ctx -> messages.conversations(CurrentPrincipal.of(ctx))));
    builder.getRoute("listMessages").addHandler(Responses.handler(200, ctx -> messages.messages(CurrentPrincipal.of(ctx),
        ctx.pathParam("contactId"), ctx.request().getParam("after"), limit(ctx, 100))));
    builder.getRoute("sendMessage").addHandler(ctx -> sent(ctx, () -> {
      var body = Responses.body(ctx);
      return messages.send(CurrentPrincipal.of(ctx), ctx.pathParam("contactId"), body.getString("client_id"), body.getString("body"));
    }));
    builder.getRoute("sendPhoto").addHandler(ctx -> sent(ctx, () -> {
      byte[] upload = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      return messages.sendPhoto(CurrentPrincipal.of(ctx), ctx.pathParam("contactId"), ctx.request().getParam("client_id"), upload);
    }));
    builder.getRoute("getPhoto").addHandler(ctx -> {
      try {
        messages.photo(CurrentPrincipal.of(ctx), ctx.pathParam("contactId"), ctx.pathParam("id"), ctx.request().getParam("size"))
            .onSuccess(photo -> ctx.response().putHeader("Content-Type", photo.contentType())
                .putHeader("Cache-Control", "private, no-store").putHeader("X-Content-Type-Options", "nosniff")
                .end(io.vertx.core.buffer.Buffer.buffer(photo.bytes())))
            .onFailure(ctx::fail);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
    builder.getRoute("markMessageRead").addHandler(Responses.handler(200, ctx -> messages.markRead(CurrentPrincipal.of(ctx),
        ctx.pathParam("id"))));
    builder.getRoute("listReviews").addHandler(Responses.handler(200, ctx -> reviews.list(CurrentPrincipal.of(ctx),
        limit(ctx, 50), ctx.request().getParam("cursor"))));
    builder.getRoute("holdConversation").addHandler(Responses.handler(200, ctx -> {
      var body = Responses.body(ctx);
      return retention.hold(CurrentPrincipal.of(ctx), ctx.pathParam("contactId"), body.getBoolean("held", true),
          body.getString("reason"));
    }));
    builder.getRoute("getMessagingSettings").addHandler(Responses.handler(200, ctx -> retention.settings(CurrentPrincipal.of(ctx),
        ctx.pathParam("id"))));
    builder.getRoute("putMessagingSettings").addHandler(Responses.handler(200, ctx -> retention.setDays(CurrentPrincipal.of(ctx),
        ctx.pathParam("id"), Responses.body(ctx).getInteger("retention_days"))));
    builder.getRoute("decideReview").addHandler(Responses.handler(200, ctx -> {
      var body = Responses.body(ctx);
      return reviews.decide(CurrentPrincipal.of(ctx), ctx.pathParam("id"), body.getString("outcome"), body.getString("reason"));
    }));
  }

  /** 201 for a new message, 200 for a retry answering the first; failures (also thrown ones) to the error handler. */
  private static void sent(RoutingContext ctx, java.util.function.Supplier<io.vertx.core.Future<MessagingService.Sent>> send) {
    try {
      send.get().onSuccess(sent -> Responses.json(ctx, sent.created() ? 201 : 200, sent.body())).onFailure(ctx::fail);
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }

  private static int limit(RoutingContext ctx, int fallback) {
    String s = ctx.request().getParam("limit");
    return s == null ? fallback : Integer.parseInt(s);
  }
}
