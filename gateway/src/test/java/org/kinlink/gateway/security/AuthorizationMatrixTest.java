package org.kinlink.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.bench.ContractSamples;
import org.kinlink.gateway.http.OpenApiDocument;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Issue 9 "Tests": every operation of the OpenAPI document x every role x the caller's own and another
 * establishment's records. No cell may answer 2xx where the role may not act, no answer to anybody may
 * name the other establishment's records, and nobody signed out gets a 2xx. An operation added to the
 * document without a line in {@link #MAY} fails the test, so new surface is covered when it appears.
 */
class AuthorizationMatrixTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static final Set<Role> STAFF = EnumSet.of(Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN);
  private static final Set<Role> ALL = EnumSet.allOf(Role.class);

  /** Who may get a 2xx on their own establishment's records; a superset of what the gateway allows is safe. */
  private static final Map<String, Set<Role>> MAY = Map.ofEntries(
      Map.entry("getMe", ALL),
      // one's own password: anyone who signs in with one; a prisoner chooses her own kiosk PIN
      Map.entry("authChangePassword", EnumSet.of(Role.OUTSIDE, Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN)),
      Map.entry("authChangePin", EnumSet.of(Role.PRISONER)),
      Map.entry("listEstablishments", ALL),
      Map.entry("createPrisoner", EnumSet.of(Role.OFFICER, Role.ADMIN)),
      Map.entry("listPrisoners", STAFF),
      Map.entry("getPrisoner", STAFF),
      Map.entry("updatePrisoner", STAFF),
      Map.entry("unlockPrisoner", STAFF),
      Map.entry("createPerson", EnumSet.of(Role.OFFICER, Role.FAMILY_WORKER, Role.ADMIN)),
      Map.entry("listPeople", STAFF),
      Map.entry("getPerson", STAFF),
      Map.entry("updatePerson", STAFF),
      Map.entry("createStaff", EnumSet.of(Role.ADMIN)),
      Map.entry("listStaff", EnumSet.of(Role.ADMIN)),
      Map.entry("updateStaff", EnumSet.of(Role.ADMIN)),
      Map.entry("resetStaff", EnumSet.of(Role.ADMIN)),
      Map.entry("createDevice", EnumSet.of(Role.ADMIN)),
      Map.entry("newEnrolmentCode", EnumSet.of(Role.ADMIN)),
      Map.entry("listDevices", STAFF),
      Map.entry("updateDevice", EnumSet.of(Role.ADMIN)),
      Map.entry("proposeContact", EnumSet.of(Role.PRISONER, Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN)),
      Map.entry("listContacts", ALL),
      Map.entry("getContact", ALL),
      Map.entry("approveContact", STAFF),
      Map.entry("suspendContact", STAFF),
      Map.entry("revokeContact", STAFF),
      Map.entry("getContactPolicy", STAFF),
      Map.entry("putContactPolicy", STAFF),
      Map.entry("listContactPolicyVersions", STAFF),
      Map.entry("getClearance", STAFF),
      Map.entry("putClearance", STAFF),
      Map.entry("listClearanceVersions", STAFF),
      Map.entry("evaluatePolicy", STAFF),
      Map.entry("listAudit", EnumSet.of(Role.SECURITY)),
      Map.entry("verifyAudit", EnumSet.of(Role.SECURITY)),
      // messaging: a prisoner or person outside on their own threads; staff have no conversations (an empty list)
      Map.entry("listConversations", ALL),
      Map.entry("listMessages", EnumSet.of(Role.PRISONER, Role.OUTSIDE)),
      Map.entry("sendMessage", EnumSet.of(Role.PRISONER, Role.OUTSIDE)),
      Map.entry("markMessageRead", EnumSet.of(Role.PRISONER, Role.OUTSIDE)),
      Map.entry("sendPhoto", EnumSet.of(Role.PRISONER, Role.OUTSIDE)),
      // security reviews held photos
      Map.entry("getPhoto", EnumSet.of(Role.PRISONER, Role.OUTSIDE, Role.SECURITY)),
      Map.entry("listReviews", EnumSet.of(Role.SECURITY)),
      Map.entry("decideReview", EnumSet.of(Role.SECURITY)),
      Map.entry("holdConversation", EnumSet.of(Role.SECURITY)),
      Map.entry("getMessagingSettings", EnumSet.of(Role.SECURITY, Role.ADMIN)),
      Map.entry("putMessagingSettings", EnumSet.of(Role.ADMIN)),
      // calls (issue 12)
      Map.entry("requestCall", ALL),
      Map.entry("listCalls", ALL),
      Map.entry("getCall", ALL),
      Map.entry("listLiveCalls", STAFF),
      Map.entry("approveCall", STAFF),
      Map.entry("rejectCall", STAFF),
      Map.entry("cancelCall", ALL),
      Map.entry("terminateCall", STAFF),
      Map.entry("monitorCall", EnumSet.of(Role.SECURITY)),
      Map.entry("getCallSettings", EnumSet.of(Role.SECURITY, Role.ADMIN)),
      Map.entry("putCallSettings", EnumSet.of(Role.ADMIN)),
      Map.entry("joinCall", EnumSet.of(Role.PRISONER, Role.OUTSIDE)),
      Map.entry("createJoinLink", EnumSet.of(Role.OUTSIDE, Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN)),
      Map.entry("uploadRecordingChunk", EnumSet.of(Role.PRISONER)),
      Map.entry("listRecordings", EnumSet.of(Role.SECURITY)),
      Map.entry("playRecording", EnumSet.of(Role.SECURITY)),
      Map.entry("listEstablishmentRecordings", EnumSet.of(Role.SECURITY)),
      Map.entry("holdCallRecordings", EnumSet.of(Role.SECURITY)));

  /**
   * Sign-in itself, the version, and the kiosk's own side of its device proof (a challenge, and
   * enrolment with a one-time code an admin issued): no record, no role.
   */
  private static final Set<String> PUBLIC = Set.of("authKiosk", "authKioskChallenge", "enrolDevice", "authLogin", "authRefresh",
      "authLogout", "getVersion",
      // a child's one-time join link: the token is the credential (calls, issue 12)
      "redeemJoinLink");

  /** One establishment's records an operation can name. */
  record Records(String est, Map<String, String> ids, String prisonNumber) {}

  @Test
  void noRoleGetsWhatItMayNotAndNoAnswerNamesAnotherEstablishmentsRecords() {
    WebClient client = kinlink.client();
    AuthFixture own = kinlink.establishment();
    AuthFixture other = kinlink.establishment();
    Records mine = records(client, own);
    Records theirs = records(client, other);
    Map<Role, String> tokens = new LinkedHashMap<>();
    tokens.put(Role.PRISONER, own.signedInPrisoner(client).token());
    tokens.put(Role.OUTSIDE, own.signedInPerson(client, PersonKind.CARER).token());
    for (Role role : STAFF) {
      tokens.put(role, own.staffToken(client, role));
    }

    JsonObject doc = OpenApiDocument.load();
    List<String> problems = new ArrayList<>();
    int cells = 0;
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject op) || op.getString("operationId") == null) {
          continue;
        }
        String id = op.getString("operationId");
        if (PUBLIC.contains(id)) {
          continue;
        }
        Set<Role> may = MAY.get(id);
        if (may == null) {
          problems.add(id + ": not in the matrix; say which roles may call it");
          continue;
        }
        for (Records target : List.of(mine, theirs)) {
          boolean foreign = target == theirs;
          Call call = call(doc, path, method, op, target);
          // a record named in the path or the body must answer as if it did not exist; a list filtered
          // by one may answer 2xx, with nothing of it (the leak check below)
          boolean addressed = path.contains("{") || call.body() != null && leak(call.body().encode(), target, id) != null;
          boolean filtered = call.uri().contains("?");
          if (foreign && !addressed && !filtered) {
            continue; // nothing of the other establishment to name: its own-establishment cells cover it
          }
          HttpResponse<Buffer> anonymous = send(client, call, null);
          cells++;
          if (anonymous.statusCode() / 100 == 2) {
            problems.add(id + " signed out (" + (foreign ? "other" : "own") + "): " + anonymous.statusCode());
          }
          for (var t : tokens.entrySet()) {
            HttpResponse<Buffer> r = send(client, call, t.getValue());
            cells++;
            boolean ok = r.statusCode() / 100 == 2;
            if (ok && (foreign && addressed || !may.contains(t.getKey()))) {
              problems.add(id + " as " + t.getKey() + " on " + (foreign ? "another" : "its own")
                  + " establishment's record: " + r.statusCode() + " " + abbreviated(r.bodyAsString()));
            }
            String leaked = leak(r.bodyAsString(), theirs, id);
            if (leaked != null) {
              problems.add(id + " as " + t.getKey() + " named the other establishment's " + leaked + ": " + abbreviated(r.bodyAsString()));
            }
          }
        }
      }
    }
    System.out.println("FIGURE authorization matrix: " + cells + " cells, " + problems.size() + " wrong");
    assertEquals(List.of(), problems);
    assertTrue(cells > 200, "the matrix covered " + cells + " cells");
  }

  /** The records of one establishment: a prisoner, a person outside, staff, a device and a contact between the two. */
  private static Records records(WebClient client, AuthFixture fx) {
    Prisoner prisoner = fx.prisoner("2468");
    PersonOutside person = fx.person(PersonKind.CARER, null);
    String staff = fx.staff(Role.OFFICER).account().id();
    String device = fx.device(true).id();
    String officer = fx.staffToken(client, Role.OFFICER);
    HttpResponse<Buffer> proposed = AuthFixture.post(client, "/api/v1/contacts", officer, new JsonObject()
        .put("prisoner_id", prisoner.id()).put("person_id", person.id()).put("relationship", "CARER"));
    String contact = proposed.statusCode() == 201 ? proposed.bodyAsJsonObject().getString("id") : "c-" + UUID.randomUUID();
    return new Records(fx.est, Map.of("prisoner", prisoner.id(), "person", person.id(), "staff", staff, "device", device,
        "contact", contact), prisoner.prisonNumber());
  }

  record Call(HttpMethod method, String uri, JsonObject body) {}

  private static Call call(JsonObject doc, String path, String method, JsonObject op, Records target) {
    String uri = path;
    for (var kind : Map.of("prisoners", "prisoner", "people", "person", "staff", "staff", "devices", "device",
        "contacts", "contact").entrySet()) {
      uri = uri.replace("/" + kind.getKey() + "/{id}", "/" + kind.getKey() + "/" + target.ids().get(kind.getValue()));
    }
    // calls: no call exists in these establishments, so every role must be refused (404) on these ids
    uri = uri.replace("{callId}", "call-" + target.est()).replace("{recordingId}", "rec-" + target.est());
    uri = uri.replace("/conversations/{contactId}", "/conversations/" + target.ids().get("contact"));
    uri = uri.replace("/establishments/{id}", "/establishments/" + target.est());
    // a message id of this establishment's contact that names no message: nobody may learn more than 404
    String messageId = "msg." + target.ids().get("contact") + ".00000000000000000000000000000000";
    uri = uri.replace("/messages/{id}", "/messages/" + messageId).replace("/reviews/{id}", "/reviews/" + messageId)
        .replace("/photos/{id}", "/photos/" + messageId);
    if (uri.contains("{")) {
      throw new AssertionError(path + ": which record does its parameter name? Add it to the matrix.");
    }
    if (uri.endsWith("/contacts") && "get".equals(method) || uri.endsWith("/audit")) {
      uri += "?prisoner=" + target.prisonNumber();
    }
    ContractSamples samples = new ContractSamples(doc, field -> switch (field) {
      case "prisoner_id" -> target.ids().get("prisoner");
      case "person_id" -> target.ids().get("person");
      case "contact_id" -> target.ids().get("contact");
      case "participants" -> new JsonArray().add(target.ids().get("prisoner")).add(target.ids().get("person"));
      case "prison_number" -> AuthFixture.prisonNumber();
      case "pin" -> "2468";
      case "password" -> "correct horse battery staple 42";
      case "reason" -> "authorization matrix";
      case "device_id" -> "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
      default -> null;
    });
    JsonObject schema = samples.bodySchema(op);
    Object body = schema == null ? null : samples.sample(schema);
    return new Call(HttpMethod.valueOf(method.toUpperCase()), uri, body instanceof JsonObject o ? o : null);
  }

  private static HttpResponse<Buffer> send(WebClient client, Call call, String token) {
    HttpRequest<Buffer> request = client.request(call.method(), call.uri())
        .putHeader("Idempotency-Key", UUID.randomUUID().toString());
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return Gateway.await(call.body() == null ? request.send() : request.sendJsonObject(call.body()));
  }

  /** Which of the other establishment's records the answer names, or null. */
  private static String leak(String body, Records theirs, String operation) {
    for (var e : theirs.ids().entrySet()) {
      if (body.contains(e.getValue())) {
        return e.getKey() + " " + e.getValue();
      }
    }
    if (body.contains(theirs.prisonNumber())) {
      return "prison number " + theirs.prisonNumber();
    }
    if (!operation.equals("listEstablishments") && body.contains("\"" + theirs.est() + "\"")) {
      return "establishment " + theirs.est();
    }
    return null;
  }

  private static String abbreviated(String body) {
    return body.length() > 200 ? body.substring(0, 200) + "..." : body;
  }
}
