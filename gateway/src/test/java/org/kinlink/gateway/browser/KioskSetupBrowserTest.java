package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.demo.DemoIds;
import org.kinlink.gateway.devices.DeviceEnrolment;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestBrowser;

/**
 * Setting a kiosk up in Debian's Chromium: as a demo kiosk and with a real enrolment code, then a
 * prisoner signing in through kiosk-device.js (WebCrypto key in IndexedDB, signed challenge).
 */
class KioskSetupBrowserTest {
  // demo mode: the demo kiosks and their keys exist only there
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create().configure(c -> c.withDemo(true));

  private static Gateway gateway;
  private static TestBrowser chromium;
  private static String base;

  private BrowserContext context;
  private Page page;

  @BeforeAll
  static void start() {
    chromium = TestBrowser.start();
    gateway = kinlink.gateway();
    Gateway.await(DemoData.loadOnce(gateway.services().demoParts()));
    base = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void openPage() {
    context = chromium.browser().newContext(new Browser.NewContextOptions().setLocale("en-GB").setViewportSize(1024, 768));
    page = context.newPage();
    page.setDefaultTimeout(15_000);
  }

  @AfterEach
  void closePage() {
    if (context != null) {
      context.close();
    }
  }

  /** Runs kioskSignIn in the page; answers {ok, tokens} or {ok: false, code, status, message}. */
  private JsonObject signInInPage(String prisonNumber, String pin) {
    Object r = page.evaluate("async ([n, p]) => { const m = await import('/assets/js/kiosk-device.js');"
        + " try { const t = await m.kioskSignIn(n, p); return JSON.stringify({ok: true, tokens: t}); }"
        + " catch (e) { return JSON.stringify({ok: false, code: e.code, status: e.status, message: e.message}); } }",
        List.of(prisonNumber, pin));
    return new JsonObject((String) r);
  }

  private JsonObject currentDeviceInPage() {
    Object r = page.evaluate("async () => JSON.stringify(await (await import('/assets/js/kiosk-device.js')).currentDevice())");
    return "null".equals(r) ? null : new JsonObject((String) r);
  }

  private static JsonObject me(String accessToken) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me"))
        .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  @Test
  void staffPickADemoKioskAndAPrisonerSignsInOnIt() throws Exception {
    Path key = gateway.services().demoKiosks().orElseThrow().keyFile(DemoIds.KIOSK_STYAL_01);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));

    page.navigate(base + "/kiosk/setup.html");
    assertThat(page).hasTitle(Pattern.compile("Set up this kiosk"));
    assertEquals("en-GB", page.locator("html").getAttribute("lang"));
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Set up this kiosk"))).isVisible();
    assertThat(page.getByText("This kiosk is not set up yet.")).isVisible();
    assertEquals(null, currentDeviceInPage());
    JsonObject before = signInInPage("A1234BC", "2580");
    assertEquals("NO_DEVICE", before.getString("code"));

    var demoButton = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
        .setName(Pattern.compile("Use HMP Styal — Mother and Baby Unit, room 4")));
    assertTrue(demoButton.boundingBox().height >= 48, "a large touch target");
    demoButton.click();
    // the notice itself, not the live region that also announces it (either may come first)
    assertThat(page.locator("#setup-result").getByRole(AriaRole.STATUS).filter(new com.microsoft.playwright.Locator.FilterOptions()
        .setHasText("This kiosk is now set up as kiosk-styal-01"))).isVisible();
    assertThat(page.getByText("This kiosk is set up as the demo kiosk kiosk-styal-01.")).isVisible();

    JsonObject device = currentDeviceInPage();
    assertEquals(DemoIds.KIOSK_STYAL_01, device.getString("device_id"));
    assertTrue(device.getBoolean("demo"));

    JsonObject wrong = signInInPage("A1234BC", "0000");
    assertFalse(wrong.getBoolean("ok"));
    assertEquals("INVALID_CREDENTIALS", wrong.getString("code"));
    assertEquals(401, wrong.getInteger("status"));
    assertEquals("The sign-in details are not right. Check them and try again.", wrong.getString("message"));

    JsonObject ok = signInInPage("A1234BC", "2580");
    assertTrue(ok.getBoolean("ok"), ok.encode());
    JsonObject tokens = ok.getJsonObject("tokens");
    assertTrue(tokens.getLong("expires_in") > 0);
    assertTrue(tokens.getString("refresh_token").length() > 20);
    JsonObject me = me(tokens.getString("access_token"));
    assertEquals("PRISONER", me.getString("role"));
    assertEquals(DemoIds.PRISONER_A1234BC, me.getString("person_id"));
  }

  @Test
  void staffEnrolAKioskWithItsCodeAndItsKeyCannotBeReadOut() throws Exception {
    String id = "kiosk-styal-" + UUID.randomUUID().toString().substring(0, 6);
    DeviceEnrolment.IssuedCode code = Gateway.await(gateway.services().devices().create(
        action -> AuditEvent.of(action).actor("browser-test", "ADMIN"), new KioskDevice(id, DemoIds.STYAL, "Test wing, cell 1", true)));

    page.navigate(base + "/kiosk/setup.html");
    page.getByLabel("Device id").fill(id);
    page.getByLabel("Enrolment code").fill("AAAA-BBBB-CCCC");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set up this kiosk")).click();
    var summary = page.locator(".error-summary");
    assertThat(summary).isVisible();
    assertThat(summary).containsText("That enrolment code is not right");
    assertThat(page.getByLabel("Enrolment code")).hasAttribute("aria-invalid", "true");
    assertEquals(null, currentDeviceInPage(), "a refused code leaves the kiosk as it was");

    page.getByLabel("Enrolment code").fill(code.code().toLowerCase());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set up this kiosk")).click();
    assertThat(page.locator("#setup-result").getByText("Done. This kiosk is now set up as " + id + ".")).isVisible();
    assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Go to the kiosk sign-in"))).isVisible();

    Object extractable = page.evaluate("() => new Promise((resolve, reject) => { const r = indexedDB.open('kinlink-kiosk');"
        + " r.onsuccess = () => { const g = r.result.transaction('device').objectStore('device').get('current');"
        + " g.onsuccess = () => resolve(String(g.result.key.extractable) + ' ' + g.result.key.type); g.onerror = reject; }; })");
    assertEquals("false private", extractable, "the private key is kept but can never be exported");

    JsonObject ok = signInInPage("A1234BC", "2580");
    assertTrue(ok.getBoolean("ok"), ok.encode());
    assertEquals(DemoIds.PRISONER_A1234BC, me(ok.getJsonObject("tokens").getString("access_token")).getString("person_id"));
    KioskDevice stored = Gateway.await(gateway.services().directory().device(id)).orElseThrow();
    assertEquals(KioskDevice.Status.ENROLLED, stored.status());
  }

  @Test
  void aTestCanEnrolThePagesBrowserAsAKioskInOneStep() {
    page.navigate(base + "/kiosk/setup.html");
    String id = TestBrowser.enrolKiosk(page, gateway, DemoIds.STYAL);
    assertEquals(id, currentDeviceInPage().getString("device_id"));
    assertFalse(currentDeviceInPage().getBoolean("demo"));
    assertTrue(signInInPage("A1234BC", "2580").getBoolean("ok"));
  }
}
