package org.kinlink.gateway.contacts;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;

/** HTTP helpers for contacts tests: signed-in callers of one establishment and the calls they make. */
final class ContactsFixture {
  final AuthFixture auth;
  final WebClient client;

  ContactsFixture(AuthFixture auth, WebClient client) {
    this.auth = auth;
    this.client = client;
  }

  /** A prisoner of this establishment signed in on a kiosk. */
  AuthFixture.SignedInPrisoner prisoner() {
    return auth.signedInPrisoner(client);
  }

  /** A person outside of this establishment, signed in (kinds without a second factor only). */
  AuthFixture.SignedInPerson person(PersonKind kind) {
    return auth.signedInPerson(client, kind);
  }

  /** A person outside who never signs in (e.g. a child). */
  PersonOutside personRecord(PersonKind kind) {
    return auth.person(kind, null);
  }

  static JsonObject policy(String state, String relationship, String oversight, String... channels) {
    return new JsonObject().put("state", state).put("relationship", relationship).put("oversight", oversight)
        .put("channels", new JsonArray(List.of((Object[]) channels)));
  }

  HttpResponse<Buffer> send(String method, String path, String token, Map<String, String> headers, JsonObject body) {
    HttpRequest<Buffer> req = client.request(io.vertx.core.http.HttpMethod.valueOf(method), path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    headers.forEach(req::putHeader);
    return Gateway.await(body == null ? req.send() : req.sendJsonObject(body));
  }

  HttpResponse<Buffer> get(String path, String token) {
    return send("GET", path, token, Map.of(), null);
  }

  HttpResponse<Buffer> post(String path, String token, JsonObject body) {
    return send("POST", path, token, Map.of(), body);
  }

  HttpResponse<Buffer> propose(String token, String prisonerId, String personId, String relationship, JsonObject policy) {
    JsonObject body = new JsonObject().put("person_id", personId).put("relationship", relationship);
    if (prisonerId != null) {
      body.put("prisoner_id", prisonerId);
    }
    if (policy != null) {
      body.put("policy", policy);
    }
    return post("/api/v1/contacts", token, body);
  }

  /** Proposes as staff and checks it was created; answers the contact. */
  JsonObject created(String token, String prisonerId, String personId, String relationship, JsonObject policy) {
    HttpResponse<Buffer> r = propose(token, prisonerId, personId, relationship, policy);
    if (r.statusCode() != 201) {
      throw new AssertionError("proposal failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  HttpResponse<Buffer> transition(String token, String contactId, String what, JsonObject body) {
    return post("/api/v1/contacts/" + contactId + "/" + what, token, body);
  }

  /** Approves as staff and checks it; answers the contact. */
  JsonObject approved(String token, String contactId) {
    HttpResponse<Buffer> r = transition(token, contactId, "approve", new JsonObject().put("reason", "identity checked"));
    if (r.statusCode() != 200) {
      throw new AssertionError("approve failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  HttpResponse<Buffer> putPolicy(String token, String contactId, String ifMatch, String idemKey, JsonObject body) {
    Map<String, String> headers = new java.util.HashMap<>();
    if (ifMatch != null) {
      headers.put("If-Match", ifMatch);
    }
    if (idemKey != null) {
      headers.put("Idempotency-Key", idemKey);
    }
    return send("PUT", "/api/v1/contacts/" + contactId + "/policy", token, headers, body);
  }

  HttpResponse<Buffer> evaluate(String token, JsonObject body) {
    return post("/api/v1/policy/evaluate", token, body);
  }

  static String errorCode(HttpResponse<Buffer> r) {
    return AuthFixture.errorCode(r);
  }
}
