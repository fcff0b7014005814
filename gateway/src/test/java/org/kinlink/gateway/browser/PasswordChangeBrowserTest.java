package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.kinlink.gateway.browser.ConsoleBrowser.checkAtBothWidths;
import static org.kinlink.gateway.browser.ConsoleBrowser.h1;
import static org.kinlink.gateway.browser.ConsoleBrowser.named;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * In Chromium against a real gateway with the demo data: an officer whose sign-in the demo admin
 * reset signs in with the one-time password, is shown "Choose a new password" (axe-core WCAG 2.2 AA
 * at 1280 and 390 px, with and without errors), is told on its field what the API refused, changes
 * it and reaches her console; only the new password works afterwards. A carer registered with a
 * first password does the same in the family portal.
 */
class PasswordChangeBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static final String ADMIN = "admin@demo.kinlink.test";
  private static final String ADMIN_PASSWORD = "admin-demo-2026";
  private static final String TOTP_SECRET = "KINLINKDEMOTOTPSECRETAAAAAAAAAAA";
  private static final String CHOSEN = "marble tiger quilt harbour";

  private static ConsoleBrowser browser;
  private static StaffApiClient admin;
  private Page page;

  @BeforeAll
  static void start() {
    Path chromium = ConsoleBrowser.chromium();
    assumeTrue(chromium != null, "no Chromium: set KINLINK_CHROMIUM or install Debian's chromium at /usr/bin/chromium");
    Gateway gateway = kinlink.gateway();
    Gateway.await(DemoData.loadOnce(gateway.services().demoParts()));
    String base = "http://127.0.0.1:" + gateway.port();
    admin = new StaffApiClient(base);
    admin.signIn(ADMIN, ADMIN_PASSWORD, kinlink.totp(TOTP_SECRET));
    browser = ConsoleBrowser.launch(chromium, base);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void openPage() {
    page = browser.page(1280);
  }

  @AfterEach
  void closePage() {
    if (page != null) {
      page.context().close();
    }
  }

  private static Locator.GetByRoleOptions link(String name) {
    return new Locator.GetByRoleOptions().setName(name).setExact(true);
  }

  private Locator summary() {
    return page.locator(".error-summary");
  }

  @Test
  void anOfficerWhoseSignInWasResetChoosesANewPasswordAndReachesHerConsole() {
    StaffApiClient.StaffLogin officer = admin.createOfficer("Reset Officer");
    String id = admin.send("GET", "/api/v1/staff?limit=200", null, null).ok().getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(s -> officer.email().equals(s.getString("email"))).findFirst().orElseThrow().getString("id");
    String oneTime = admin.send("POST", "/api/v1/staff/" + id + "/reset", new JsonObject().put("totp", false), null).ok()
        .getString("password");

    browser.signIn(page, "/staff/", officer.email(), oneTime, kinlink.totp(officer.totpSecret()), "Choose a new password");
    assertThat(h1(page)).isFocused();
    assertThat(page).hasTitle("Choose a new password – Kinlink staff console");
    assertThat(page.getByText("At least 12 characters, and not a common password.", new Page.GetByTextOptions().setExact(false)))
        .isVisible();
    assertEquals(0, page.locator("#console-nav a").count(), "nothing else to go to until it is changed");
    checkAtBothWidths(page, "staff: choose a new password");
    page.reload();
    assertThat(h1(page)).hasText("Choose a new password");

    Locator current = page.getByLabel("Current password");
    Locator next = page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true));
    Locator save = page.getByRole(AriaRole.BUTTON, named("Save new password"));

    // nothing typed: both boxes named in a summary that takes focus, each message beside its box
    save.click();
    assertThat(summary()).isFocused();
    assertThat(summary()).containsText("There is a problem");
    assertThat(summary().getByRole(AriaRole.LINK, link("Enter your current password"))).isVisible();
    assertThat(summary().getByRole(AriaRole.LINK, link("Enter a new password"))).isVisible();
    assertThat(current).hasAttribute("aria-invalid", "true");
    checkAtBothWidths(page, "staff: choose a new password (errors)");

    // a wrong current password comes back from the API on its field; the summary link goes to it
    current.fill("not the one-time password");
    next.fill(CHOSEN);
    save.click();
    Locator wrong = summary().getByRole(AriaRole.LINK, link("Your current password is not right: enter the password you signed in with"));
    assertThat(wrong).isVisible();
    assertThat(page.locator(".field.has-error")).hasCount(1);
    assertThat(page.locator(".field.has-error")).containsText("Current password");
    wrong.click();
    assertThat(current).isFocused();

    // too common, from the API as well
    current.fill(oneTime);
    next.fill("Password1234");
    save.click();
    assertThat(page.locator(".field.has-error")).containsText("Your new password is too easy to guess");
    assertThat(next).hasAttribute("aria-invalid", "true");

    next.fill(CHOSEN);
    save.click();
    assertThat(h1(page)).hasText("Prisoners");
    assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Your password is changed"))).isVisible();
    assertThat(page.locator("#session")).containsText("Reset Officer");

    // only the new password works now, and its sessions are full ones
    StaffApiClient.Answer old = new StaffApiClient(browser.base).send("POST", "/api/v1/auth/login", new JsonObject()
        .put("email", officer.email()).put("password", oneTime).put("otp", kinlink.totp(officer.totpSecret()).nextCode()), null);
    assertEquals(401, old.status());
    StaffApiClient mine = new StaffApiClient(browser.base);
    mine.signIn(officer.email(), CHOSEN, kinlink.totp(officer.totpSecret()));
    assertEquals(200, mine.send("GET", "/api/v1/prisoners", null, null).status());
  }

  @Test
  void aCarerRegisteredWithAFirstPasswordChangesItInThePortal() {
    String email = "carer-" + UUID.randomUUID().toString().substring(0, 8) + "@test.kinlink.test";
    String first = "given by staff 2026";
    admin.send("POST", "/api/v1/people", new JsonObject().put("kind", "CARER").put("name", "Portal Carer")
        .put("email", email).put("password", first), null).ok();

    page.navigate(browser.base + "/portal/");
    page.getByLabel("Email address").fill(email);
    page.getByLabel("Password").fill(first);
    page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
    assertThat(h1(page)).hasText("Choose a new password");
    assertThat(page).hasTitle("Choose a new password – Kinlink family portal");
    checkAtBothWidths(page, "portal: choose a new password");
    // in Welsh too, without leaving the page
    page.locator("#lang").click();
    assertThat(h1(page)).hasText("Dewiswch gyfrinair newydd");
    page.locator("#lang").click();
    assertThat(h1(page)).hasText("Choose a new password");
    assertThat(page.locator("#calls-section")).isEmpty();

    page.getByLabel("Current password").fill(first);
    page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true)).fill(first);
    page.getByRole(AriaRole.BUTTON, named("Save new password")).click();
    assertThat(summary()).isFocused();
    assertThat(summary()).containsText("Your new password must be different from your current one");
    checkAtBothWidths(page, "portal: choose a new password (errors)");

    page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true)).fill(CHOSEN);
    page.getByRole(AriaRole.BUTTON, named("Save new password")).click();
    assertThat(h1(page)).hasText("Your messages");
    assertThat(page.getByText("Your password is changed. Only you know it now.")).isVisible();
    StaffApiClient.Answer signIn = new StaffApiClient(browser.base).send("POST", "/api/v1/auth/login",
        new JsonObject().put("email", email).put("password", CHOSEN), null);
    assertEquals(200, signIn.status());
    assertFalse(signIn.body().getBoolean("password_change_required"));
    assertTrue(signIn.body().containsKey("access_token"));
  }
}
