package org.kinlink.gateway.auth;

import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.identity.Role;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;
import org.kinlink.gateway.people.StaffAccount;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.TestGateway;
import org.kinlink.gateway.support.TestKiosk;
import org.kinlink.gateway.support.TestTotp;

/**
 * Records for sign-in tests, written straight into the directory of a running node: a fresh
 * establishment per fixture (so lists and audit entries are the test's own), kiosks, prisoners,
 * people and staff with known secrets. Clients come from a random 127.x.y.z address so one test's
 * failed sign-ins never count against another's source limit. Times and one-time codes follow the
 * node's clock (a {@code TestClock} under {@code KinlinkExtension}).
 */
public final class AuthFixture {
  public static final String PASSWORD = "correct horse battery";
  private static final SecretHasher HASHER = new SecretHasher();

  public final Gateway gateway;
  public final Directory directory;
  public final Clock clock;
  public final String est;

  public AuthFixture(Gateway gateway) {
    this(gateway, "t-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** An establishment of a name the test chose (one its node's config names). */
  public AuthFixture(Gateway gateway, String est) {
    this.gateway = gateway;
    this.directory = gateway.services().directory();
    this.clock = gateway.services().clock();
    this.est = est;
    Gateway.await(directory.putEstablishment(new Establishment(est, "HMP Test " + est)));
  }

  /** A staff account with its sign-in secrets; {@code totp} hands out its codes, one step after another. */
  public record Staff(StaffAccount account, String password, String totpSecret, TestTotp totp) {}

  /** A client bound to its own loopback source address. */
  public static WebClient client(Vertx vertx, Gateway gateway) {
    return TestGateway.client(vertx, gateway);
  }

  /** A kiosk of this establishment: enrolled with a test key pair (see {@link TestKiosk}), or withdrawn. */
  public KioskDevice device(boolean enrolled) {
    return Gateway.await(directory.device(kiosk(enrolled).deviceId())).orElseThrow();
  }

  /** A kiosk of this establishment with its key pair, for tests that sign in on it or tamper with its proof. */
  public TestKiosk kiosk(boolean enrolled) {
    return TestKiosk.create(directory, est, "Wing A", enrolled);
  }

  /** A fresh, valid, unused prison number. */
  public static String prisonNumber() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "" + (char) ('A' + r.nextInt(26)) + String.format("%04d", r.nextInt(10000)) + (char) ('A' + r.nextInt(26))
        + (char) ('A' + r.nextInt(26));
  }

  public Prisoner prisoner(String pin) {
    return prisoner(pin, Clearance.FULL, EnumSet.noneOf(PrisonerFlag.class));
  }

  public Prisoner prisoner(String pin, Clearance clearance, Set<PrisonerFlag> flags) {
    while (true) {
      String number = prisonNumber();
      Prisoner p = new Prisoner(PrisonNumber.prisonerId(number), number, "Test Prisoner", est, clearance, flags,
          HASHER.hashNow(pin), clock.instant());
      try {
        Gateway.await(directory.createPrisoner(p));
        return p;
      } catch (RuntimeException taken) {
        // another test drew the same number: draw again
      }
    }
  }

  public Staff staff(Role role) {
    String secret = Totp.newSecret();
    StaffAccount s = new StaffAccount("st-" + UUID.randomUUID(), "staff-" + UUID.randomUUID() + "@test.kinlink.test",
        "Test " + role, role, est, HASHER.hashNow(PASSWORD), secret, false, clock.instant());
    Gateway.await(directory.createStaff(s));
    return new Staff(s, PASSWORD, secret, new TestTotp(secret, clock));
  }

  public PersonOutside person(PersonKind kind, String totpSecret) {
    PersonOutside p = new PersonOutside("pe-" + UUID.randomUUID(), kind, "Test " + kind, "person-" + UUID.randomUUID() + "@test.kinlink.test",
        HASHER.hashNow(PASSWORD), totpSecret, true, null, List.of(est), clock.instant());
    Gateway.await(directory.createPerson(p));
    return p;
  }

  /** The TOTP code of the node clock's current time step. */
  public String code(String secret) {
    return new TestTotp(secret, clock).code();
  }

  public static HttpResponse<Buffer> post(WebClient client, String path, JsonObject body) {
    return Gateway.await(client.post(path).sendJsonObject(body));
  }

  public static HttpResponse<Buffer> post(WebClient client, String path, String token, JsonObject body) {
    return Gateway.await(client.post(path).putHeader("Authorization", "Bearer " + token).sendJsonObject(body));
  }

  public static HttpResponse<Buffer> get(WebClient client, String path, String token) {
    var req = client.get(path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return Gateway.await(req.send());
  }

  /** A kiosk sign-in with the real device proof, signed with the key {@link TestKiosk} holds for the device. */
  public static HttpResponse<Buffer> kiosk(WebClient client, String number, String pin, String device) {
    return TestKiosk.forDevice(device).signIn(client, number, pin);
  }

  /** Signs a staff member in (each time with the account's next one-time code: the test clock moves on if it must). */
  public static JsonObject login(WebClient client, Staff s) {
    HttpResponse<Buffer> r = post(client, "/api/v1/auth/login", new JsonObject().put("email", s.account().email())
        .put("password", s.password()).put("otp", s.totp().nextCode()));
    if (r.statusCode() != 200) {
      throw new AssertionError("staff sign-in failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  /** A fresh staff account of this establishment, signed in: its access token. */
  public String staffToken(WebClient client, Role role) {
    return login(client, staff(role)).getString("access_token");
  }

  /** A prisoner signed in on a kiosk: the records and the sign-in answer (tokens). */
  public record SignedInPrisoner(Prisoner prisoner, KioskDevice device, JsonObject tokens) {
    public String token() {
      return tokens.getString("access_token");
    }
  }

  /** A new prisoner of this establishment (PIN 2468), signed in on a new enrolled kiosk. */
  public SignedInPrisoner signedInPrisoner(WebClient client) {
    Prisoner p = prisoner("2468");
    KioskDevice d = device(true);
    HttpResponse<Buffer> r = kiosk(client, p.prisonNumber(), "2468", d.id());
    if (r.statusCode() != 200) {
      throw new AssertionError("kiosk sign-in failed: " + r.bodyAsString());
    }
    return new SignedInPrisoner(p, d, r.bodyAsJsonObject());
  }

  /** A prisoner of this establishment signed in on a kiosk: the tokens. */
  public JsonObject prisonerTokens(WebClient client) {
    return signedInPrisoner(client).tokens();
  }

  /** A person outside signed in with their password. */
  public record SignedInPerson(PersonOutside person, String token) {}

  /** A new person outside of this establishment, signed in (kinds without a second factor only). */
  public SignedInPerson signedInPerson(WebClient client, PersonKind kind) {
    PersonOutside p = person(kind, null);
    HttpResponse<Buffer> r = post(client, "/api/v1/auth/login",
        new JsonObject().put("email", p.email()).put("password", PASSWORD));
    if (r.statusCode() != 200) {
      throw new AssertionError("sign-in failed: " + r.bodyAsString());
    }
    return new SignedInPerson(p, r.bodyAsJsonObject().getString("access_token"));
  }

  /** The audit entries of this fixture's establishment, oldest first (once every answered send's entry is on the chain). */
  public List<JsonObject> audit() {
    Gateway.await(gateway.services().messaging().auditSettled());
    Redis redis = gateway.services().redis();
    List<String> seqs = Gateway.await(redis.call(c -> c.zrange(Keys.auditByEstablishment(Keys.AUDIT, est), 0, -1)));
    List<JsonObject> out = new ArrayList<>();
    for (String seq : seqs) {
      String stored = Gateway.await(redis.call(c -> c.hget(Keys.auditEntries(Keys.AUDIT), seq)));
      out.add(new JsonObject(stored));
    }
    return out;
  }

  /** The audit entries of one action in this establishment. */
  public List<JsonObject> audit(String action) {
    return audit().stream().filter(e -> action.equals(e.getString("action"))).toList();
  }

  /** The error code of an API error answer. */
  public static String errorCode(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  /** The field an API error answer names. */
  public static String errorField(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("field");
  }

  /** The words of an API error answer. */
  public static String errorMessage(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("message");
  }
}
