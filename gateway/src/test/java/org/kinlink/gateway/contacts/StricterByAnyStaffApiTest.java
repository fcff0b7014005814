package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Issue 10, item 2 through the API: every staff role may make contact stricter at once (security
 * acting on intelligence must not wait), loosening stays with officers, family workers and admins.
 */
class StricterByAnyStaffApiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture auth;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    auth = kinlink.establishment();
  }

  private static ContactsFixture fixture(Vertx vertx) {
    return new ContactsFixture(auth, AuthFixture.client(vertx, gateway));
  }

  private static String approvedContact(ContactsFixture f, String officer) {
    var prisoner = f.auth.prisoner("2468");
    PersonOutside carer = f.personRecord(PersonKind.CARER);
    String id = f.created(officer, prisoner.id(), carer.id(), "CARER",
        ContactsFixture.policy("PENDING", "CARER", "RECORDED", "MESSAGE", "VIDEO")).getString("id");
    f.approved(officer, id);
    return id;
  }

  @Test
  void securitySuspendsAtOnceButMayNotReinstate(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    String security = f.auth.staffToken(f.client, Role.SECURITY);
    String id = approvedContact(f, officer);

    HttpResponse<Buffer> suspended = f.transition(security, id, "suspend",
        new JsonObject().put("reason", "intelligence report: contact being used to pass threats"));
    assertEquals(200, suspended.statusCode(), suspended.bodyAsString());
    assertEquals("SUSPENDED", suspended.bodyAsJsonObject().getString("state"));
    assertTrue(auth.audit("contact.suspend").stream().anyMatch(e -> id.equals(e.getString("contact_id"))
        && "SECURITY".equals(e.getString("actor_role"))), "the suspension is on the audit log as security's");

    HttpResponse<Buffer> reinstate = f.transition(security, id, "approve", new JsonObject().put("reason", "cleared"));
    assertEquals(403, reinstate.statusCode(), reinstate.bodyAsString());
    String message = reinstate.bodyAsJsonObject().getJsonObject("error").getString("message");
    assertTrue(message.contains("officer, family worker or admin"), message);
    assertEquals("SUSPENDED", f.get("/api/v1/contacts/" + id, officer).bodyAsJsonObject().getString("state"),
        "the refused reinstatement wrote nothing");
    assertEquals(200, f.transition(officer, id, "approve", new JsonObject().put("reason", "reviewed with security"))
        .statusCode(), "an officer reinstates it");
  }

  @Test
  void securityTightensRestrictionsButMayNotLoosenThem(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    String security = f.auth.staffToken(f.client, Role.SECURITY);
    String id = approvedContact(f, officer);
    JsonObject current = f.get("/api/v1/contacts/" + id + "/policy", security).bodyAsJsonObject();
    JsonObject doc = current.getJsonObject("policy");
    String etag = "\"" + current.getInteger("version") + "\"";

    JsonObject narrower = doc.copy().put("channels", new JsonArray().add("MESSAGE"))
        .put("limits", new JsonObject().put("messages_per_day", 3));
    HttpResponse<Buffer> tightened = f.putPolicy(security, id, etag, null,
        new JsonObject().put("policy", narrower).put("reason", "intelligence: video used to show contraband"));
    assertEquals(200, tightened.statusCode(), tightened.bodyAsString());
    String next = tightened.getHeader("ETag");

    JsonObject wider = narrower.copy().put("channels", new JsonArray().add("MESSAGE").add("VIDEO"));
    HttpResponse<Buffer> loosened = f.putPolicy(security, id, next, null,
        new JsonObject().put("policy", wider).put("reason", "no longer needed"));
    assertEquals(403, loosened.statusCode(), loosened.bodyAsString());
    assertTrue(loosened.bodyAsJsonObject().getJsonObject("error").getString("message").contains("channels added"));
    assertEquals(200, f.putPolicy(officer, id, next, null,
        new JsonObject().put("policy", wider).put("reason", "reviewed: video restored")).statusCode());
  }

  @Test
  void clearanceMayBeLoweredByAnyStaffAndRaisedOnlyByAnAssessor(Vertx vertx) {
    ContactsFixture f = fixture(vertx);
    String security = f.auth.staffToken(f.client, Role.SECURITY);
    String officer = f.auth.staffToken(f.client, Role.OFFICER);
    String worker = f.auth.staffToken(f.client, Role.FAMILY_WORKER);
    var prisoner = f.auth.prisoner("1357");
    String path = "/api/v1/prisoners/" + prisoner.id() + "/clearance";

    HttpResponse<Buffer> lowered = f.send("PUT", path, security, Map.of("If-Match", "0"),
        new JsonObject().put("clearance", "NONE").put("reason", "police intelligence about risk to children"));
    assertEquals(200, lowered.statusCode(), lowered.bodyAsString());
    for (String token : new String[] {security, officer}) {
      HttpResponse<Buffer> raised = f.send("PUT", path, token, Map.of("If-Match", "1"),
          new JsonObject().put("clearance", "WRITTEN").put("reason", "seems fine"));
      assertEquals(403, raised.statusCode(), raised.bodyAsString());
    }
    assertEquals(200, f.send("PUT", path, worker, Map.of("If-Match", "1"),
        new JsonObject().put("clearance", "WRITTEN").put("reason", "assessment completed")).statusCode());
  }
}
