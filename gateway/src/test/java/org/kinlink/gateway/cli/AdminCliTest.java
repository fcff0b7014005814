package org.kinlink.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.Main;
import org.kinlink.gateway.crypto.SecretBox;
import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.redis.EmbeddedRedis;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.support.TestGateway;

/** An operator starts from nothing with {@code kinlink admin}, with the gateway stopped or running. */
class AdminCliTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String USER = System.getProperty("user.name");

  record Run(int exit, String out, String err) {
    String value(String label) {
      Matcher m = Pattern.compile("(?m)^" + label + ": (\\S+)$").matcher(out);
      assertTrue(m.find(), "no '" + label + ":' line in:\n" + out);
      return m.group(1);
    }
  }

  static synchronized Run kinlink(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** {@code kinlink} in a process of its own whose environment has no {@code KINLINK_MASTER_KEY} (this JVM's has one). */
  private static Run kinlinkProcessWithoutMasterKey(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.kinlink.gateway.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("KINLINK_MASTER_KEY");
    Path out = Files.createTempFile("kinlink-cli", ".out");
    Path err = Files.createTempFile("kinlink-cli", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the command ended");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Path freshDataDir() throws Exception {
    Path parent = Files.createTempDirectory("kinlink-admin");
    return parent.resolve("data"); // not made yet: bootstrap is a new deployment's first command
  }

  private static GatewayConfig serveOn(Path dataDir) {
    return TestGateway.config().withRedisUrl(Optional.empty()).withDataDir(dataDir);
  }

  private static Run bootstrap(Path dataDir, String email) {
    return kinlink("admin", "bootstrap", "--establishment", "hmp-test", "--establishment-name", "HMP Test",
        "--email", email, "--name", "Jo Admin", "--data-dir", dataDir.toString());
  }

  @Test
  void fromNothingToASignedInAdminWithTheGatewayStopped() throws Exception {
    Path dataDir = freshDataDir();
    Run first = bootstrap(dataDir, "Jo.Admin@Test.example.org");
    assertEquals(0, first.exit(), first.err());
    String password = first.value("password");
    String uri = first.value("totp");
    assertTrue(uri.startsWith("otpauth://totp/"), uri);
    assertEquals(uri, decodeTerminalQr(first.out()), "the QR code drawn in the terminal is the enrolment URI");
    String secret = secretOf(uri);

    Run again = bootstrap(dataDir, "jo.admin@test.example.org");
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("already bootstrapped") && again.out().contains("nothing changed"), again.out());
    assertFalse(again.out().contains("password:"), "no new secrets on a second run");

    try (Gateway gateway = Gateway.start(serveOn(dataDir))) {
      HttpResponse<String> signIn = login(gateway, "jo.admin@test.example.org", password, Totp.code(secret, Totp.step(Instant.now())));
      assertEquals(200, signIn.statusCode(), signIn.body());
      // the operator saw the one-time password: the first session may only change it
      assertEquals(true, new JsonObject(signIn.body()).getBoolean("password_change_required"), signIn.body());
      String firstToken = new JsonObject(signIn.body()).getString("access_token");
      assertEquals(403, get(gateway, "/api/v1/me", firstToken).statusCode());
      HttpResponse<String> changed = changePassword(gateway, firstToken, password, "jo's own long password");
      assertEquals(200, changed.statusCode(), changed.body());
      String token = new JsonObject(changed.body()).getString("access_token");
      JsonObject me = new JsonObject(get(gateway, "/api/v1/me", token).body());
      assertEquals("ADMIN", me.getString("role"), me.encode());
      assertEquals("hmp-test", me.getJsonObject("establishment").getString("id"), me.encode());
      assertEquals("HMP Test", me.getJsonObject("establishment").getString("name"), me.encode());

      // the export reads the running gateway's Redis: both runs are audited, as the operator
      Run export = kinlink("audit", "export", "--action", "admin.bootstrap", "--data-dir", dataDir.toString());
      assertEquals(0, export.exit(), export.err());
      List<JsonObject> entries = export.out().lines().map(JsonObject::new).toList();
      assertEquals(List.of("OK", "UNCHANGED"), entries.stream().map(e -> e.getString("outcome")).toList(), export.out());
      for (JsonObject e : entries) {
        assertEquals("cli:" + USER, e.getString("actor_id"));
        assertEquals("hmp-test", e.getString("establishment"));
        assertFalse(e.encode().contains(password), "never the password");
      }
    }
  }

  @Test
  void resetWithTheGatewayRunningEndsSessionsAndIssuesNewSecrets() throws Exception {
    Path dataDir = freshDataDir();
    Run boot = bootstrap(dataDir, "admin@test.example.org");
    assertEquals(0, boot.exit(), boot.err());
    try (Gateway gateway = Gateway.start(serveOn(dataDir))) {
      String oldPassword = boot.value("password");
      String oldSecret = secretOf(boot.value("totp"));
      HttpResponse<String> signIn = login(gateway, "admin@test.example.org", oldPassword, Totp.code(oldSecret, Totp.step(Instant.now())));
      assertEquals(200, signIn.statusCode(), signIn.body());
      HttpResponse<String> changed = changePassword(gateway, new JsonObject(signIn.body()).getString("access_token"), oldPassword,
          "a long password of her own");
      assertEquals(200, changed.statusCode(), changed.body());
      oldPassword = "a long password of her own";
      String token = new JsonObject(changed.body()).getString("access_token");
      assertEquals(200, get(gateway, "/api/v1/me", token).statusCode());

      Run reset = kinlink("admin", "staff", "reset", "--email", "ADMIN@test.example.org", "--data-dir", dataDir.toString());
      assertEquals(0, reset.exit(), reset.err());
      assertTrue(reset.out().contains("1 session(s) ended"), reset.out());
      String newPassword = reset.value("password");
      String newSecret = secretOf(reset.value("totp"));
      assertNotEquals(oldPassword, newPassword);
      assertNotEquals(oldSecret, newSecret);

      assertEquals(401, get(gateway, "/api/v1/me", token).statusCode(), "the old session ended on the running node");
      assertEquals(401, login(gateway, "admin@test.example.org", oldPassword, Totp.code(newSecret, Totp.step(Instant.now()))).statusCode());
      HttpResponse<String> again = login(gateway, "admin@test.example.org", newPassword, Totp.code(newSecret, Totp.step(Instant.now())));
      assertEquals(200, again.statusCode(), again.body());
      assertEquals(true, new JsonObject(again.body()).getBoolean("password_change_required"), "a reset's password is one-time too");
    }
  }

  /** The stored TOTP secret of the account that signs in as {@code email}, read straight from the data dir's Redis. */
  private static String storedTotp(Path dataDir, String email) {
    try (StoreTarget.Connection c = StoreTarget.open(new picocli.CommandLine(new Main()), dataDir, null)) {
      String ref = Gateway.await(c.redis().call(r -> r.get(Keys.dirEmail(Directory.sha256(email)))));
      String id = ref.substring(ref.indexOf(':') + 1);
      return new JsonObject(Gateway.<String>await(c.redis().call(r -> r.get(Keys.dirRecord("staff", id))))).getString("totp_secret");
    }
  }

  @Test
  void bootstrapAndResetSealTheTotpSecretAtOnceAndRefuseWithoutAMasterKey() throws Exception {
    Path dataDir = freshDataDir();
    Run boot = bootstrap(dataDir, "sealed@test.example.org");
    assertEquals(0, boot.exit(), boot.err());
    String secret = secretOf(boot.value("totp"));
    // read before any gateway has started (a start would seal what it finds in clear)
    String stored = storedTotp(dataDir, "sealed@test.example.org");
    assertTrue(SecretBox.isSealed(stored), "stored sealed, not in clear: " + stored);
    assertFalse(stored.contains(secret), stored);

    Run reset = kinlink("admin", "staff", "reset", "--email", "sealed@test.example.org", "--data-dir", dataDir.toString());
    assertEquals(0, reset.exit(), reset.err());
    String newSecret = secretOf(reset.value("totp"));
    String storedAfterReset = storedTotp(dataDir, "sealed@test.example.org");
    assertTrue(SecretBox.isSealed(storedAfterReset) && !storedAfterReset.contains(newSecret), storedAfterReset);
    assertNotEquals(stored, storedAfterReset);

    try (Gateway gateway = Gateway.start(serveOn(dataDir))) {
      HttpResponse<String> signIn = login(gateway, "sealed@test.example.org", reset.value("password"),
          Totp.code(newSecret, Totp.step(Instant.now())));
      assertEquals(200, signIn.statusCode(), "the sealed secret opens for the gateway: " + signIn.body());

      // the gateway's Redis by URL alone, and no KINLINK_MASTER_KEY: no master key to seal with, so nothing is written
      String url = EmbeddedRedis.running(dataDir.resolve("redis")).orElseThrow();
      Run blind = kinlinkProcessWithoutMasterKey("admin", "staff", "reset", "--email", "sealed@test.example.org", "--redis", url);
      assertEquals(2, blind.exit(), blind.out() + blind.err());
      assertTrue(blind.err().contains("master key") && blind.err().contains("--data-dir"), blind.err());
      assertFalse(blind.out().contains("password:"), blind.out());
      assertEquals(storedAfterReset, storedTotp(dataDir, "sealed@test.example.org"), "the sign-in is unchanged");
    }
  }

  @Test
  void serveOnADataDirWithNoAdminSaysWhatToRunUntilBootstrapped() throws Exception {
    Path dataDir = freshDataDir();
    try (Gateway gateway = Gateway.start(serveOn(dataDir))) {
      HttpResponse<String> before = get(gateway, "/health/ready", null);
      assertEquals(200, before.statusCode(), "a node with no accounts yet still answers every request correctly");
      String advice = new JsonObject(before.body()).getString("advice");
      assertTrue(advice != null && advice.contains("kinlink admin bootstrap --establishment ID --establishment-name NAME --email EMAIL")
          && advice.contains("--data-dir " + dataDir), before.body());

      assertEquals(0, bootstrap(dataDir, "first@test.example.org").exit());
      HttpResponse<String> after = get(gateway, "/health/ready", null);
      assertEquals(200, after.statusCode());
      assertNull(new JsonObject(after.body()).getString("advice"), after.body());
    }
  }

  @Test
  void establishmentAddIsIdempotentAndAudited() throws Exception {
    Path dataDir = freshDataDir();
    assertEquals(0, bootstrap(dataDir, "admin@test.example.org").exit());
    Run add = kinlink("admin", "establishment", "add", "--establishment", "hmp-two", "--establishment-name", "HMP Two",
        "--data-dir", dataDir.toString());
    assertEquals(0, add.exit(), add.err());
    assertTrue(add.out().contains("added establishment hmp-two"), add.out());
    Run same = kinlink("admin", "establishment", "add", "--establishment", "hmp-two", "--establishment-name", "HMP Two",
        "--data-dir", dataDir.toString());
    assertEquals(0, same.exit());
    assertTrue(same.out().contains("already exists; nothing changed"), same.out());
    Run renamed = kinlink("admin", "establishment", "add", "--establishment", "hmp-two", "--establishment-name", "HMP Elsewhere",
        "--data-dir", dataDir.toString());
    assertEquals(1, renamed.exit());
    assertTrue(renamed.err().contains("exists as 'HMP Two'"), renamed.err());

    // its first admin comes from bootstrap; a second bootstrap of it with another email is refused
    Run firstAdmin = kinlink("admin", "bootstrap", "--establishment", "hmp-two", "--establishment-name", "HMP Two",
        "--email", "two@test.example.org", "--data-dir", dataDir.toString());
    assertEquals(0, firstAdmin.exit(), firstAdmin.err());
    Run another = kinlink("admin", "bootstrap", "--establishment", "hmp-two", "--establishment-name", "HMP Two",
        "--email", "three@test.example.org", "--data-dir", dataDir.toString());
    assertEquals(1, another.exit());
    assertTrue(another.err().contains("already has staff"), another.err());
  }

  @Test
  void badInputExitsTwoNamingTheOption() throws Exception {
    Path dataDir = freshDataDir();
    String d = dataDir.toString();
    assertNamed("--email", kinlink("admin", "bootstrap", "--establishment", "x", "--establishment-name", "X", "--email", "not-an-email", "--data-dir", d));
    assertNamed("--establishment", kinlink("admin", "bootstrap", "--establishment", "no spaces", "--establishment-name", "X", "--email", "a@b.org", "--data-dir", d));
    assertNamed("--establishment-name", kinlink("admin", "bootstrap", "--establishment", "x", "--establishment-name", " ", "--email", "a@b.org", "--data-dir", d));
    assertNamed("--email", kinlink("admin", "bootstrap", "--establishment", "x", "--establishment-name", "X", "--data-dir", d));
    assertNamed("--email", kinlink("admin", "staff", "reset", "--email", "@", "--data-dir", d));
    assertNamed("--data-dir", kinlink("admin", "establishment", "add", "--establishment", "x", "--establishment-name", "X"));
    assertEquals(2, kinlink("admin").exit());
    assertFalse(Files.exists(dataDir), "bad input changes nothing, not even a data dir");
    Run unknown = kinlink("admin", "staff", "reset", "--email", "nobody@test.example.org", "--data-dir", dataDir.getParent().toString());
    assertEquals(2, unknown.exit(), "a directory that is no gateway's data dir: " + unknown.err());
  }

  private static void assertNamed(String option, Run run) {
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains(option), "names " + option + ": " + run.err());
  }

  private static String secretOf(String uri) {
    Matcher m = Pattern.compile("[?&]secret=([A-Z2-7]+)").matcher(uri);
    assertTrue(m.find(), uri);
    return m.group(1);
  }

  /** Reads the half-block drawing back into modules (drawn = light) and decodes it with ZXing. */
  private static String decodeTerminalQr(String out) throws Exception {
    List<String> rows = out.lines().filter(l -> !l.isEmpty() && l.chars().allMatch(c -> c == '█' || c == '▀' || c == '▄' || c == ' '))
        .filter(l -> l.contains("█")).toList();
    int width = rows.get(0).length();
    int margin = 2;
    int size = width - 2 * margin;
    BitMatrix m = new BitMatrix(size, size);
    for (int line = 0; line < rows.size(); line++) {
      String row = rows.get(line);
      for (int x = 0; x < width; x++) {
        char c = row.charAt(x);
        boolean topDark = c == ' ' || c == '▄';
        boolean bottomDark = c == ' ' || c == '▀';
        set(m, x - margin, 2 * line - margin, topDark, size);
        set(m, x - margin, 2 * line + 1 - margin, bottomDark, size);
      }
    }
    return new Decoder().decode(m).getText();
  }

  private static void set(BitMatrix m, int x, int y, boolean dark, int size) {
    if (dark && x >= 0 && y >= 0 && x < size && y < size) {
      m.set(x, y);
    }
  }

  private static HttpResponse<String> login(Gateway gateway, String email, String password, String otp) throws Exception {
    JsonObject body = new JsonObject().put("email", email).put("password", password).put("otp", otp);
    return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/v1/auth/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> changePassword(Gateway gateway, String token, String current, String next) throws Exception {
    JsonObject body = new JsonObject().put("current_password", current).put("new_password", next);
    return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/v1/auth/password"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(Gateway gateway, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
