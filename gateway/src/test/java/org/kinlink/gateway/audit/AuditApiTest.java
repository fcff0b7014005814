package org.kinlink.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.auth.AuthFixture.errorCode;
import static org.kinlink.gateway.auth.AuthFixture.get;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.support.KinlinkExtension;

/** GET /api/v1/audit and /audit/verify as security staff (and others) use them, over real HTTP. */
class AuditApiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Gateway gateway;
  static AuthFixture styal;
  static AuthFixture askham;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    styal = new AuthFixture(gateway);
    askham = new AuthFixture(gateway);
  }

  private static AuditEntry append(AuditEvent event) {
    return Gateway.await(gateway.services().audit().append(event));
  }

  private static HttpResponse<Buffer> getAs(WebClient client, String path, String token, String accept) {
    return Gateway.await(client.get(path).putHeader("Authorization", "Bearer " + token).putHeader("Accept", accept).send());
  }

  private static List<JsonObject> readsAbout(List<JsonObject> reads, String prisoner) {
    return reads.stream()
        .filter(e -> prisoner.equals(e.getJsonObject("details").getJsonObject("filter").getString("prisoner")))
        .toList();
  }

  private static List<JsonObject> entries(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void securityStaffSeeTheirOwnEstablishmentOnlyAndTheirReadIsOnRecord(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String prisoner = "P-" + UUID.randomUUID();
    AuditEntry ours = append(AuditEvent.of("contact.suspend").actor("st-x", "OFFICER").establishment(styal.est)
        .prisoner(prisoner).detail("reason", "test").build());
    AuditEntry theirs = append(AuditEvent.of("contact.suspend").actor("st-y", "OFFICER").establishment(askham.est)
        .prisoner(prisoner).build());
    AuditEntry shared = append(AuditEvent.of("call.start").establishment(askham.est).prisoner(prisoner)
        .detail("establishments", new JsonArray().add(askham.est).add(styal.est)).build());

    String token = styal.staffToken(client, Role.SECURITY);
    List<JsonObject> seen = entries(get(client, "/api/v1/audit?prisoner=" + prisoner, token));
    assertEquals(List.of(ours.seq(), shared.seq()), seen.stream().map(e -> e.getLong("seq")).toList(),
        "styal's own entry and the inter-establishment one, not askham's");
    assertFalse(seen.stream().anyMatch(e -> e.getLong("seq") == theirs.seq()));

    List<JsonObject> everything = entries(get(client, "/api/v1/audit?limit=1000", token));
    assertTrue(everything.stream().allMatch(e -> styal.est.equals(e.getString("establishment"))
        || e.getJsonObject("details", new JsonObject()).getJsonArray("establishments", new JsonArray()).contains(styal.est)),
        "nothing from another establishment");
    assertTrue(everything.stream().anyMatch(e -> "auth.login".equals(e.getString("action"))), "the sign-in is on record");
    List<JsonObject> reads = readsAbout(styal.audit("audit.read"), prisoner);
    assertEquals(1, reads.size(), "the filtered read is on record with its filter");
    assertEquals("SECURITY", reads.get(0).getString("actor_role"));
  }

  @Test
  void otherRolesAndStrangersAreRefused(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String officer = styal.staffToken(client, Role.OFFICER);
    HttpResponse<Buffer> asOfficer = get(client, "/api/v1/audit", officer);
    assertEquals(403, asOfficer.statusCode());
    assertEquals("FORBIDDEN", errorCode(asOfficer));
    assertEquals(403, get(client, "/api/v1/audit/verify", officer).statusCode());
    assertEquals(403, get(client, "/api/v1/audit", styal.staffToken(client, Role.ADMIN)).statusCode());
    assertEquals(401, AuthFixture.get(client, "/api/v1/audit", null).statusCode());
    JsonObject prisoner = styal.prisonerTokens(client);
    assertEquals(403, get(client, "/api/v1/audit", prisoner.getString("access_token")).statusCode());
  }

  @Test
  void badParametersAreRefusedNamingTheField(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String token = styal.staffToken(client, Role.SECURITY);
    HttpResponse<Buffer> badFrom = get(client, "/api/v1/audit?from=last-tuesday", token);
    assertEquals(400, badFrom.statusCode());
    assertEquals("from", badFrom.bodyAsJsonObject().getJsonObject("error").getString("field"));
    HttpResponse<Buffer> backwards = get(client, "/api/v1/audit?from=2025-03-02&to=2025-03-01", token);
    assertEquals(400, backwards.statusCode());
    assertEquals("to", backwards.bodyAsJsonObject().getJsonObject("error").getString("field"));
    assertEquals(400, get(client, "/api/v1/audit?limit=0", token).statusCode());
    assertEquals(400, get(client, "/api/v1/audit?cursor=abc", token).statusCode());
    assertEquals(400, get(client, "/api/v1/audit?action=DROP%20TABLE", token).statusCode());
  }

  @Test
  void pagesWithACursorAndFiltersByActionAndTime(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String prisoner = "P-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      append(AuditEvent.of(i == 2 ? "message.deny" : "message.send").establishment(styal.est).prisoner(prisoner).build());
    }
    String token = styal.staffToken(client, Role.SECURITY);
    HttpResponse<Buffer> first = get(client, "/api/v1/audit?limit=3&prisoner=" + prisoner, token);
    assertEquals(3, entries(first).size());
    String cursor = first.bodyAsJsonObject().getString("next_cursor");
    assertNotNull(cursor);
    HttpResponse<Buffer> second = get(client, "/api/v1/audit?limit=3&prisoner=" + prisoner + "&cursor=" + cursor, token);
    assertEquals(2, entries(second).size());
    assertNull(second.bodyAsJsonObject().getString("next_cursor"));
    assertEquals(List.of("message.deny"), entries(get(client, "/api/v1/audit?action=message.deny&prisoner=" + prisoner, token))
        .stream().map(e -> e.getString("action")).toList());
    assertEquals(0, entries(get(client, "/api/v1/audit?to=2000-01-01&prisoner=" + prisoner, token)).size());
    assertEquals(5, entries(get(client, "/api/v1/audit?from=2000-01-01T00:00:00Z&prisoner=" + prisoner, token)).size());
  }

  @Test
  void exportsJsonLinesAndCsvWithFormulasDefused(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String prisoner = "P-" + UUID.randomUUID();
    append(AuditEvent.of("contact.approve").actor("=HYPERLINK(\"http://evil\",\"x\")", "OFFICER").establishment(styal.est)
        .prisoner(prisoner).detail("note", "a, b").build());
    append(AuditEvent.of("contact.approve").actor("@SUM(1)", "OFFICER").establishment(styal.est).prisoner(prisoner).build());
    String token = styal.staffToken(client, Role.SECURITY);

    HttpResponse<Buffer> ndjson = getAs(client, "/api/v1/audit?prisoner=" + prisoner, token, "application/x-ndjson");
    assertEquals(200, ndjson.statusCode());
    assertTrue(ndjson.getHeader("Content-Type").startsWith("application/x-ndjson"));
    List<JsonObject> lines = ndjson.bodyAsString().lines().map(JsonObject::new).toList();
    assertEquals(2, lines.size());
    assertEquals("@SUM(1)", lines.get(1).getString("actor_id"), "JSON lines carry the data as it is");

    HttpResponse<Buffer> csv = getAs(client, "/api/v1/audit?prisoner=" + prisoner, token, "text/csv");
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    List<String> rows = csv.bodyAsString().lines().toList();
    assertEquals(String.join(",", AuditFormat.COLUMNS), rows.get(0));
    assertEquals(3, rows.size(), csv.bodyAsString());
    assertTrue(rows.get(1).contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",OFFICER,"), rows.get(1));
    assertTrue(rows.get(2).contains(",'@SUM(1),OFFICER,"), rows.get(2));
    assertEquals(2, readsAbout(styal.audit("audit.export"), prisoner).size(), "each export is on record");
  }

  @Test
  void aLongExportStreamsEveryEntryInOrder(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String prisoner = "P-" + UUID.randomUUID();
    List<io.vertx.core.Future<AuditEntry>> appends = new java.util.ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      appends.add(gateway.services().audit().append(AuditEvent.of("message.send").establishment(styal.est)
          .prisoner(prisoner).detail("n", i).build()));
    }
    Gateway.await(io.vertx.core.Future.all(appends));
    String token = styal.staffToken(client, Role.SECURITY);
    HttpResponse<Buffer> r = getAs(client, "/api/v1/audit?prisoner=" + prisoner, token, "application/x-ndjson");
    assertEquals(200, r.statusCode());
    List<JsonObject> lines = r.bodyAsString().lines().map(JsonObject::new).toList();
    assertEquals(1200, lines.size(), "several pages, all of them");
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i, lines.get(i).getJsonObject("details").getInteger("n"));
    }
    HttpResponse<Buffer> limited = getAs(client, "/api/v1/audit?limit=7&prisoner=" + prisoner, token, "text/csv");
    assertEquals(8, limited.bodyAsString().lines().count(), "header and 7 rows");
  }

  @Test
  void securityStaffVerifyTheChain(Vertx vertx) {
    WebClient client = AuthFixture.client(vertx, gateway);
    String token = styal.staffToken(client, Role.SECURITY);
    HttpResponse<Buffer> r = get(client, "/api/v1/audit/verify", token);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject result = r.bodyAsJsonObject();
    assertTrue(result.getBoolean("ok"), result.encode());
    assertTrue(result.getLong("entries") > 0);
    assertNull(result.getValue("first_bad"));
  }
}
