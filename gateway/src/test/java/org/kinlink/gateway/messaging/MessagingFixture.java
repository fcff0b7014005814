package org.kinlink.gateway.messaging;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.UUID;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.contacts.ContactsService;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.Prisoner;

/**
 * People and contacts of one fresh establishment for messaging tests, created through the services
 * as staff would, and the HTTP calls the tests make. Policies have no windows, so tests do not
 * depend on the time of day.
 */
public final class MessagingFixture {
  public final AuthFixture auth;
  public final WebClient client;
  public final Gateway gateway;

  public MessagingFixture(Gateway gateway, WebClient client) {
    this(gateway, client, new AuthFixture(gateway));
  }

  public MessagingFixture(Gateway gateway, WebClient client, AuthFixture auth) {
    this.gateway = gateway;
    this.auth = auth;
    this.client = client;
  }

  public record SignedIn(String id, String name, String token) {}

  /** A prisoner with a kiosk she can sign in on (not signed in yet). */
  public record KioskAccount(String id, String prisonNumber, String pin, String deviceId) {}

  public KioskAccount kioskAccount() {
    Prisoner p = auth.prisoner("2468");
    KioskDevice d = auth.device(true);
    return new KioskAccount(p.id(), p.prisonNumber(), "2468", d.id());
  }

  /** A person outside who can sign in with email and password only; answers {id, email}. */
  public PersonOutside personAccount(PersonKind kind) {
    return auth.person(kind, null);
  }

  /** A professional with a one-time-code secret, not signed in yet. */
  public PersonOutside professionalAccount(PersonKind kind, String totpSecret) {
    return auth.person(kind, totpSecret);
  }

  public SignedIn mother() {
    Prisoner p = auth.prisoner("2468");
    KioskDevice d = auth.device(true);
    HttpResponse<Buffer> r = AuthFixture.kiosk(client, p.prisonNumber(), "2468", d.id());
    if (r.statusCode() != 200) {
      throw new AssertionError("kiosk sign-in failed: " + r.bodyAsString());
    }
    return new SignedIn(p.id(), p.name(), r.bodyAsJsonObject().getString("access_token"));
  }

  /** A person outside, signed in (professionals with their one-time code). */
  public SignedIn person(PersonKind kind) {
    String secret = kind.isProfessional() ? org.kinlink.gateway.crypto.Totp.newSecret() : null;
    PersonOutside p = auth.person(kind, secret);
    JsonObject body = new JsonObject().put("email", p.email()).put("password", AuthFixture.PASSWORD);
    if (secret != null) {
      body.put("otp", auth.code(secret));
    }
    HttpResponse<Buffer> r = AuthFixture.post(client, "/api/v1/auth/login", body);
    if (r.statusCode() != 200) {
      throw new AssertionError("sign-in failed: " + r.bodyAsString());
    }
    return new SignedIn(p.id(), p.name(), r.bodyAsJsonObject().getString("access_token"));
  }

  /** A child (no sign-in) whose messages {@code adult} holds. */
  public String child(SignedIn adult) {
    PersonOutside c = new PersonOutside("pe-" + UUID.randomUUID(), PersonKind.CHILD, "Leo Test (9)", null, null, null, true,
        null, List.of(auth.est), java.time.Instant.now());
    Gateway.await(auth.directory.createPerson(c));
    Gateway.await(gateway.services().messaging().setHolder(c.id(), adult.id()));
    return c.id();
  }

  /** A parent in another prison as this establishment's staff record him: a PARENT linked to his prisoner record. */
  public String linkedParent(String prisonerId) {
    PersonOutside p = new PersonOutside("pe-" + UUID.randomUUID(), PersonKind.PARENT, "Parent in prison", null, null, null, true,
        prisonerId, List.of(auth.est), java.time.Instant.now());
    Gateway.await(auth.directory.createPerson(p));
    return p.id();
  }

  public String security() {
    return auth.staffToken(client, Role.SECURITY);
  }

  /** An approved contact between a prisoner of this establishment and {@code partyId}; answers its id. */
  public String contact(String prisonerId, String partyId, String relationship, JsonObject extra) {
    return contact(auth.est, prisonerId, partyId, relationship, extra);
  }

  public String contact(String est, String prisonerId, String partyId, String relationship, JsonObject extra) {
    Principal staff = new Principal("test-admin", Role.ADMIN, est, null, "test");
    JsonObject policy = new JsonObject().put("state", "PENDING").put("relationship", relationship)
        .put("channels", new JsonArray(List.of("MESSAGE", "VIDEO")))
        .put("oversight", "LEGAL".equals(relationship) ? "PRIVILEGED" : "RECORDED");
    if (extra != null) {
      policy.mergeIn(extra);
    }
    JsonObject proposal = new JsonObject().put("prisoner_id", prisonerId).put("person_id", partyId)
        .put("relationship", relationship).put("reason", "test").put("policy", policy);
    var contacts = gateway.services().contacts().service();
    ContactsService.Written created = Gateway.await(contacts.propose(staff, proposal, null));
    String id = created.body().getString("id");
    Gateway.await(contacts.transition(staff, id, ContactsService.Transition.APPROVE,
        new JsonObject().put("reason", "checked"), null, null));
    return id;
  }

  public static JsonObject sensitive(String... terms) {
    return new JsonObject().put("content", new JsonObject().put("sensitive_terms", new JsonArray(List.of((Object[]) terms))));
  }

  // ---------------------------------------------------------------- HTTP

  public HttpResponse<Buffer> send(SignedIn who, String contactId, String clientId, String body) {
    return AuthFixture.post(client, "/api/v1/conversations/" + contactId + "/messages", who.token(),
        new JsonObject().put("client_id", clientId).put("body", body));
  }

  /** Sends and checks it was accepted (SENT or HELD); answers the answer. */
  public JsonObject sent(SignedIn who, String contactId, String body) {
    HttpResponse<Buffer> r = send(who, contactId, "c-" + UUID.randomUUID(), body);
    if (r.statusCode() != 201) {
      throw new AssertionError("send failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  public HttpResponse<Buffer> put(String path, String token, JsonObject body) {
    return Gateway.await(client.put(path).putHeader("Authorization", "Bearer " + token).sendJsonObject(body));
  }

  public JsonObject messages(SignedIn who, String contactId, String after) {
    HttpResponse<Buffer> r = AuthFixture.get(client, "/api/v1/conversations/" + contactId + "/messages"
        + (after == null ? "" : "?after=" + after), who.token());
    if (r.statusCode() != 200) {
      throw new AssertionError("messages failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  public List<JsonObject> items(SignedIn who, String contactId) {
    return messages(who, contactId, null).getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  public JsonObject conversations(SignedIn who) {
    return AuthFixture.get(client, "/api/v1/conversations", who.token()).bodyAsJsonObject();
  }

  public JsonObject reviews(String securityToken) {
    HttpResponse<Buffer> r = AuthFixture.get(client, "/api/v1/reviews", securityToken);
    if (r.statusCode() != 200) {
      throw new AssertionError("reviews failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  public HttpResponse<Buffer> decide(String securityToken, String id, String outcome, String reason) {
    return AuthFixture.post(client, "/api/v1/reviews/" + id, securityToken,
        new JsonObject().put("outcome", outcome).put("reason", reason));
  }

  public List<JsonObject> audit(String action) {
    return auth.audit(action);
  }
}
