package org.kinlink.gateway.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.kinlink.gateway.support.TestTotp;

/**
 * The HTTP API as a member of staff, for setting up what a browser test needs (its own contact)
 * and for checking what the console did. Plain blocking JDK client: it runs on the test thread.
 */
final class StaffApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private String accessToken;

  StaffApiClient(String base) {
    this.base = base;
  }

  /** An answer: status, body (JSON or null) and ETag. */
  record Answer(int status, JsonObject body, String etag) {
    JsonObject ok() {
      if (status / 100 != 2) {
        throw new AssertionError("API answered " + status + ": " + body);
      }
      return body;
    }
  }

  /** Signs in with email, password and a fresh one-time code (one retry if the code was already used). */
  void signIn(String email, String password, TestTotp totp) {
    Answer a = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      a = send("POST", "/api/v1/auth/login", new JsonObject().put("email", email).put("password", password)
          .put("otp", totp.nextCode()), null);
      if (a.status() == 200) {
        accessToken = a.body().getString("access_token");
        return;
      }
    }
    throw new AssertionError("could not sign in as " + email + ": " + a);
  }

  Answer send(String method, String path, JsonObject body, String ifMatch) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
        .header("Accept", "application/json");
    if (accessToken != null) {
      b.header("Authorization", "Bearer " + accessToken);
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      String text = r.body();
      JsonObject json = text == null || text.isBlank() || !text.trim().startsWith("{") ? null : new JsonObject(text);
      return new Answer(r.statusCode(), json, r.headers().firstValue("ETag").orElse(null));
    } catch (IOException e) {
      throw new AssertionError("API call " + method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A sign-in of a staff account made for one test. */
  record StaffLogin(String email, String password, String totpSecret, String name) {}

  /**
   * A new officer of the signed-in admin's establishment who has already replaced the admin's first
   * password with her own, so her sign-in opens the console (admin only). She signed in for that with
   * the code of the step before now, which leaves the current step's code to the test.
   */
  StaffLogin createOfficer(String namePrefix, java.time.Clock clock) {
    StaffLogin issued = createOfficer(namePrefix);
    TestTotp totp = new TestTotp(issued.totpSecret(), clock);
    StaffApiClient self = new StaffApiClient(base);
    self.accessToken = send("POST", "/api/v1/auth/login", new JsonObject().put("email", issued.email())
        .put("password", issued.password()).put("otp", totp.code(totp.currentStep() - 1)), null).ok().getString("access_token");
    String own = issued.password() + " (her own)";
    self.send("POST", "/api/v1/auth/password", new JsonObject().put("current_password", issued.password())
        .put("new_password", own), null).ok();
    return new StaffLogin(issued.email(), own, issued.totpSecret(), issued.name());
  }

  /** A new officer of the signed-in admin's establishment whose first password (the admin's) is still to be changed (admin only). */
  StaffLogin createOfficer(String namePrefix) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String email = "browser-" + tag + "@styal.test.kinlink.test";
    String password = "browser-test-" + tag;
    String name = namePrefix + " " + tag;
    JsonObject created = send("POST", "/api/v1/staff", new JsonObject().put("email", email).put("name", name)
        .put("role", "OFFICER").put("password", password), null).ok();
    return new StaffLogin(email, password, created.getString("totp_secret"), name);
  }

  /** A new person outside, with a name no other test uses. */
  JsonObject createCarer(String namePrefix) {
    String name = namePrefix + " " + UUID.randomUUID().toString().substring(0, 8);
    return send("POST", "/api/v1/people", new JsonObject().put("kind", "CARER").put("name", name), null).ok();
  }

  /** A new contact between the prisoner and the person, approved, with the given restrictions. */
  JsonObject approvedContact(String prisonerId, String personId, JsonObject restrictions) {
    JsonObject contact = send("POST", "/api/v1/contacts", new JsonObject().put("prisoner_id", prisonerId)
        .put("person_id", personId).put("relationship", "CARER").put("reason", "Browser test fixture"), null).ok();
    String id = contact.getString("id");
    send("POST", "/api/v1/contacts/" + id + "/approve", new JsonObject().put("reason", "Browser test fixture: approved"), null).ok();
    Answer current = send("GET", "/api/v1/contacts/" + id + "/policy", null, null);
    JsonObject policy = current.ok().getJsonObject("policy").copy();
    restrictions.forEach(e -> policy.put(e.getKey(), e.getValue()));
    send("PUT", "/api/v1/contacts/" + id + "/policy", new JsonObject().put("policy", policy)
        .put("reason", "Browser test fixture: restrictions"), current.etag()).ok();
    return send("GET", "/api/v1/contacts/" + id, null, null).ok();
  }

  JsonObject contact(String id) {
    return send("GET", "/api/v1/contacts/" + id, null, null).ok();
  }

  JsonObject policy(String id) {
    return send("GET", "/api/v1/contacts/" + id + "/policy", null, null).ok();
  }

  JsonArray versions(String id) {
    return send("GET", "/api/v1/contacts/" + id + "/policy/versions", null, null).ok().getJsonArray("items");
  }
}
