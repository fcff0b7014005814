package org.kinlink.gateway.devices;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.Optional;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.auth.AuthModule;
import org.kinlink.gateway.identity.CurrentPrincipal;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.http.ApiModule;
import org.kinlink.gateway.http.Responses;

/**
 * Kiosk enrolment over HTTP: the kiosk's enrol call (no sign-in: the one-time code is the
 * credential), an admin's new code for a device, and in demo mode only the demo kiosks' keys.
 * Creating, listing, moving and withdrawing devices stay with the people directory's endpoints.
 */
public final class DevicesModule implements ApiModule {
  private final DeviceEnrolment enrolment;
  private final Optional<DemoKiosks> demo;

  /** @param demo present only in {@code kinlink demo}: never mounted by {@code serve} */
  public DevicesModule(DeviceEnrolment enrolment, Optional<DemoKiosks> demo) {
    this.enrolment = enrolment;
    this.demo = demo;
  }

  @Override
  public void mount(RouterBuilder b) {
    b.getRoute("enrolDevice").addHandler(Responses.handler(200, ctx -> {
      JsonObject body = Responses.body(ctx);
      return enrolment.enrol(body.getString("device_id"), body.getString("enrolment_code"), body.getString("public_key"),
          AuthModule.source(ctx));
    }));
    b.getRoute("newEnrolmentCode").addHandler(Responses.handler(200, ctx -> {
      Principal p = CurrentPrincipal.requireRole(ctx, Role.ADMIN);
      return enrolment.deviceOf(p.establishment(), ctx.pathParam("id"))
          .compose(d -> enrolment.issueCode(action -> AuditEvent.by(p, action), d).map(code -> d.toJson().mergeIn(code.toJson())));
    }));
  }

  @Override
  public void mountExtra(Router router) {
    // demo only: hands the demo kiosks' private keys to any local browser, which is the point of a demo
    demo.ifPresent(kiosks -> router.get("/api/v1/demo/kiosks").handler(ctx -> Responses.reply(ctx, 200, kiosks.list())));
  }
}
