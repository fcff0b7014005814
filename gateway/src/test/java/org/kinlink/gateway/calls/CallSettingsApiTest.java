package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.KinlinkExtension;

/** An establishment's admin sets its call hours, capacity, approval and recording retention over the API. */
class CallSettingsApiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static String path(String est) {
    return "/api/v1/establishments/" + est + "/call-settings";
  }

  private static JsonObject body(String opens, String closes, Object capacity, boolean approval, Object days) {
    return new JsonObject().put("call_hours", new JsonObject().put("opens", opens).put("closes", closes))
        .put("capacity", capacity).put("approval_required", approval).put("recording_retention_days", days);
  }

  private static HttpResponse<Buffer> book(WebClient client, String token, String contact, Instant start) {
    return AuthFixture.post(client, "/api/v1/calls", token,
        new JsonObject().put("contact_id", contact).put("start", start.toString()).put("duration", 30));
  }

  @Test
  void anAdminsNewHoursAndCapacityRefuseTheNextBookingOnAnotherNodeWithTheNextFreeSlots() {
    List<Gateway> nodes = kinlink.nodes(2);
    CallsFixture f = new CallsFixture(nodes.get(0), kinlink.client(nodes.get(0)), kinlink.clock()); // 10:00 UK time
    WebClient onB = kinlink.client(nodes.get(1));
    String admin = f.m.auth.staffToken(f.client, Role.ADMIN);
    String path = path(f.m.auth.est);

    HttpResponse<Buffer> before = AuthFixture.get(f.client, path, admin);
    assertEquals(200, before.statusCode(), before.bodyAsString());
    assertEquals(CallSettingsService.json(CallSettings.DEFAULTS), before.bodyAsJsonObject(), "08:00 to 20:00, 4 at once, 90 days");

    HttpResponse<Buffer> set = f.m.put(path, admin, body("09:00", "12:00", 1, false, 30));
    assertEquals(200, set.statusCode(), set.bodyAsString());
    assertEquals(body("09:00", "12:00", 1, false, 30), set.bodyAsJsonObject());
    assertEquals(body("09:00", "12:00", 1, false, 30), AuthFixture.get(onB, path, admin).bodyAsJsonObject(),
        "every node answers the new settings");

    SignedIn mother = f.m.mother();
    SignedIn other = f.m.mother();
    String contact = f.m.contact(mother.id(), f.m.person(PersonKind.CARER).id(), "CARER", null);
    String otherContact = f.m.contact(other.id(), f.m.person(PersonKind.CARER).id(), "CARER", null);
    assertEquals(201, book(onB, mother.token(), contact, f.in(Duration.ofMinutes(60))).statusCode(), "11:00 fits");

    HttpResponse<Buffer> full = book(onB, other.token(), otherContact, f.in(Duration.ofMinutes(75)));
    assertEquals(409, full.statusCode(), full.bodyAsString());
    assertEquals("SLOT_FULL", AuthFixture.errorCode(full), "one call at a time now, not four");
    JsonArray free = full.bodyAsJsonObject().getJsonObject("error").getJsonArray("next_free");
    assertEquals(f.in(Duration.ofMinutes(90)).toString(), free.getJsonObject(0).getString("start"), full.bodyAsString());

    HttpResponse<Buffer> late = book(onB, other.token(), otherContact, f.in(Duration.ofHours(2))); // 12:00
    assertEquals(422, late.statusCode(), late.bodyAsString());
    assertEquals("OUTSIDE_CALL_HOURS", AuthFixture.errorCode(late), "calls end at 12:00 now, not 20:00");
    assertTrue(late.bodyAsJsonObject().getJsonObject("error").getString("message").contains("09:00 and 12:00"), late.bodyAsString());
    assertFalse(late.bodyAsJsonObject().getJsonObject("error").getJsonArray("next_free").isEmpty());

    List<JsonObject> changes = f.m.audit("calls.settings.change");
    assertEquals(1, changes.size());
    JsonObject details = changes.get(0).getJsonObject("details");
    assertEquals(4, details.getJsonObject("from").getInteger("capacity"));
    assertEquals("20:00", details.getJsonObject("from").getJsonObject("call_hours").getString("closes"));
    assertEquals(body("09:00", "12:00", 1, false, 30), details.getJsonObject("to"));
    assertEquals(f.m.auth.est, changes.get(0).getString("establishment"));
  }

  @Test
  void securityReadsButCannotChangeAndAnotherEstablishmentsSettingsDoNotExist() {
    Gateway gateway = kinlink.gateway();
    MessagingFixture here = new MessagingFixture(gateway, kinlink.client());
    MessagingFixture there = new MessagingFixture(gateway, kinlink.client());
    String path = path(here.auth.est);
    String security = here.security();

    assertEquals(200, AuthFixture.get(here.client, path, security).statusCode());
    HttpResponse<Buffer> refused = here.put(path, security, body("09:00", "17:00", 2, true, 30));
    assertEquals(403, refused.statusCode(), refused.bodyAsString());

    String otherAdmin = there.auth.staffToken(there.client, Role.ADMIN);
    HttpResponse<Buffer> read = AuthFixture.get(there.client, path, otherAdmin);
    assertEquals(404, read.statusCode(), read.bodyAsString());
    assertEquals(404, there.put(path, otherAdmin, body("09:00", "17:00", 2, true, 30)).statusCode(),
        "another establishment's settings answer as if they did not exist");
    assertEquals(404, AuthFixture.get(there.client, path, there.security()).statusCode());

    assertEquals(CallSettingsService.json(CallSettings.DEFAULTS), AuthFixture.get(here.client, path, security).bodyAsJsonObject(),
        "nothing changed");
    assertTrue(here.audit("calls.settings.change").isEmpty());
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndChangesNothing() {
    MessagingFixture here = new MessagingFixture(kinlink.gateway(), kinlink.client());
    String admin = here.auth.staffToken(here.client, Role.ADMIN);
    String path = path(here.auth.est);
    record Bad(JsonObject body, int status, String field) {}
    List<Bad> bads = List.of(
        new Bad(body("09:00", "17:00", 2, false, 30).copy().put("call_hours", null), 400, "call_hours"),
        new Bad(body("9am", "17:00", 2, false, 30), 400, "call_hours.opens"),
        new Bad(body("09:00", "25:00", 2, false, 30), 400, "call_hours.closes"),
        new Bad(body("14:00", "12:00", 2, false, 30), 422, "call_hours.closes"),
        new Bad(body("09:00", "09:00", 2, false, 30), 422, "call_hours.closes"),
        new Bad(body("09:00", "17:00", 0, false, 30), 422, "capacity"),
        new Bad(body("09:00", "17:00", 501, false, 30), 422, "capacity"),
        new Bad(body("09:00", "17:00", "four", false, 30), 400, "capacity"),
        new Bad(body("09:00", "17:00", 2, false, 6), 422, "recording_retention_days"),
        new Bad(body("09:00", "17:00", 2, false, 3651), 422, "recording_retention_days"));
    for (Bad bad : bads) {
      HttpResponse<Buffer> r = here.put(path, admin, bad.body());
      assertEquals(bad.status(), r.statusCode(), bad.body() + " -> " + r.bodyAsString());
      JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
      assertEquals(bad.field(), error.getString("field"), bad.body() + " -> " + r.bodyAsString());
      assertFalse(error.getString("message").isBlank());
    }
    HttpResponse<Buffer> edge = here.put(path, admin, body("00:00", "23:59", 500, true, 3650));
    assertEquals(200, edge.statusCode(), "the limits themselves are allowed: " + edge.bodyAsString());
    assertEquals(1, here.audit("calls.settings.change").size(), "only the good change is on record");
  }
}
