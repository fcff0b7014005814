package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestBrowser;
import org.kinlink.gateway.support.TestTotp;

/**
 * The staff console (/staff) in Debian's Chromium, driven by Playwright, against a real gateway
 * with the demo data. Each test works on a contact of A1234BC it creates for itself (with a new
 * person, through the API as the demo admin), so the demo contacts other tests rely on are never
 * changed. The demo officer signs in for the main story; the other tests sign in as officers made
 * for them. One-time codes are made on the extension's clock, which moves on to the next step
 * rather than anybody waiting for it.
 */
class StaffConsoleBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static final String OFFICER = "officer@styal.demo.kinlink.test";
  private static final String PASSWORD = "officer-demo-2026";
  private static final String ADMIN = "admin@demo.kinlink.test";
  private static final String ADMIN_PASSWORD = "admin-demo-2026";
  private static final String TOTP_SECRET = "KINLINKDEMOTOTPSECRETAAAAAAAAAAA";
  private static final String PRISONER_ID = "pr-A1234BC";
  private static final String PRISON_NUMBER = "A1234BC";

  private static Gateway gateway;
  private static TestBrowser chromium;
  private static Browser browser;
  private static StaffApiClient api;
  private static TestTotp officerTotp;
  private static String base;

  private BrowserContext context;
  private Page page;

  @BeforeAll
  static void start() {
    chromium = TestBrowser.start();
    browser = chromium.browser();
    gateway = kinlink.gateway();
    Gateway.await(DemoData.loadOnce(gateway.services().demoParts()));
    base = "http://127.0.0.1:" + gateway.port();
    officerTotp = kinlink.totp(TOTP_SECRET);
    api = new StaffApiClient(base);
    api.signIn(ADMIN, ADMIN_PASSWORD, kinlink.totp(TOTP_SECRET));
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void openPage() {
    context = browser.newContext(new Browser.NewContextOptions()
        .setLocale("en-GB").setTimezoneId("Europe/London").setViewportSize(1280, 900));
    page = context.newPage();
    page.setDefaultTimeout(15_000);
  }

  @AfterEach
  void closePage() {
    if (context != null) {
      context.close();
    }
  }

  /** Restrictions with one weekday window 09:00–15:00 and nothing else that names a time. */
  private static JsonObject weekdayRestrictions() {
    return new JsonObject()
        .put("channels", new JsonArray().add("MESSAGE").add("VIDEO"))
        .put("oversight", "RECORDED")
        .putNull("supervisor")
        .put("windows", new JsonArray().add(new JsonObject()
            .put("days", new JsonArray().add("MON").add("TUE").add("WED").add("THU").add("FRI"))
            .put("from", "09:00").put("to", "15:00")))
        .put("limits", new JsonObject().put("calls_per_week", 2).put("call_minutes", 30))
        .put("step_up", new JsonArray())
        .put("never_with", new JsonArray())
        .put("court_orders", new JsonArray());
  }

  private static Page.GetByRoleOptions named(String name) {
    return new Page.GetByRoleOptions().setName(name).setExact(true);
  }

  private static Page.GetByRoleOptions named(Pattern name) {
    return new Page.GetByRoleOptions().setName(name);
  }

  private Locator summary() {
    return page.locator("#current-summary");
  }

  private Locator historyRows() {
    return page.locator("#history-table tbody tr");
  }

  /** Signs in through the page with the mouse and a fresh one-time code. */
  private void signIn(String email, String password, TestTotp totp) {
    signIn(base, email, password, totp);
  }

  private void signIn(String origin, String email, String password, TestTotp totp) {
    ConsoleBrowser.signInAt(page, origin + "/staff/", email, password, totp, "Prisoners");
  }

  /** From the prisoners list to A1234BC's contacts, as staff would: find her, open her contacts. */
  private void openPrisoner() {
    page.getByLabel("Find by name or prison number").fill(PRISON_NUMBER);
    Locator row = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(PRISON_NUMBER));
    Locator more = page.getByRole(AriaRole.BUTTON, named("Show more"));
    while (row.count() == 0 && more.isVisible()) {
      more.click();
    }
    row.getByRole(AriaRole.LINK).click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
        .containsText(PRISON_NUMBER);
  }

  private void openContact(String personName) {
    page.getByRole(AriaRole.LINK, named("Manage contact with " + personName)).click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText(personName);
  }

  @Test
  void officerTightensATimeWindowAndSeesTheSummaryAndHistoryChange() {
    JsonObject person = api.createCarer("Window Carer");
    JsonObject contact = api.approvedContact(PRISONER_ID, person.getString("id"), weekdayRestrictions());
    String contactId = contact.getString("id");
    String name = person.getString("name");

    signIn(OFFICER, PASSWORD, officerTotp);
    openPrisoner();
    openContact(name);
    assertThat(page.locator("header")).containsText("Officer Tom Reed");

    assertThat(summary()).containsText("09:00");
    assertThat(summary()).containsText("15:00");
    String before = summary().innerText();
    int versionsBefore = historyRows().count();
    assertEquals(api.versions(contactId).size(), versionsBefore, "the history lists every version");

    page.getByRole(AriaRole.BUTTON, named("Change restrictions")).click();
    assertEveryControlIsLabelled();
    Locator window = page.getByRole(AriaRole.GROUP, named("Window 1"));
    window.getByLabel("From", new Locator.GetByLabelOptions().setExact(true)).fill("10:00");
    window.getByLabel("To", new Locator.GetByLabelOptions().setExact(true)).fill("12:00");
    page.getByLabel("Reason for this change").fill("School asked for late-morning calls only");
    page.getByRole(AriaRole.BUTTON, named("Save restrictions")).click();

    assertThat(page.getByText(Pattern.compile("Restrictions saved as version \\d+\\."))).isVisible();
    assertThat(summary()).containsText("10:00");
    assertThat(summary()).containsText("12:00");
    assertThat(summary()).not().containsText("15:00");
    assertThat(summary()).not().containsText("09:00");
    assertNotEquals(before, summary().innerText());
    assertThat(historyRows()).hasCount(versionsBefore + 1);
    assertThat(historyRows().first()).containsText("School asked for late-morning calls only");

    // the server holds what the page showed
    JsonObject saved = api.policy(contactId);
    JsonObject w = saved.getJsonObject("policy").getJsonArray("windows").getJsonObject(0);
    assertEquals("10:00", w.getString("from"));
    assertEquals("12:00", w.getString("to"));
    assertTrue(saved.getJsonArray("summary").encode().contains("10:00"), "the API summary names the new hours");

    // an earlier version's summary is still there to read
    String previous = String.valueOf(saved.getInteger("version") - 1);
    page.getByRole(AriaRole.BUTTON, named("Show version " + previous)).click();
    Locator detail = page.locator("#version-detail");
    assertThat(detail.locator("h3")).hasText("Version " + previous + " allowed");
    assertThat(detail).containsText("09:00");
    assertThat(detail).containsText("15:00");
  }

  @Test
  void aRefusedPolicyShowsEachProblemNextToItsField() {
    JsonObject person = api.createCarer("Refused Carer");
    JsonObject contact = api.approvedContact(PRISONER_ID, person.getString("id"), weekdayRestrictions());
    String contactId = contact.getString("id");
    int versions = api.versions(contactId).size();
    StaffApiClient.StaffLogin officer = api.createOfficer("Refusal Officer", kinlink.clock());

    signIn(officer.email(), officer.password(), kinlink.totp(officer.totpSecret()));
    openPrisoner();
    openContact(person.getString("name"));
    page.getByRole(AriaRole.BUTTON, named("Change restrictions")).click();

    // the reason is checked before anything is sent
    page.getByRole(AriaRole.BUTTON, named("Save restrictions")).click();
    Locator reason = page.getByLabel("Reason for this change");
    assertThat(reason).hasAttribute("aria-invalid", "true");
    assertThat(page.locator(".error-summary")).containsText("Enter a reason for this change");

    // a window that ends before it starts is refused by the server (422) and shown at the field
    Locator window = page.getByRole(AriaRole.GROUP, named("Window 1"));
    Locator from = window.getByLabel("From", new Locator.GetByLabelOptions().setExact(true));
    from.fill("13:00");
    window.getByLabel("To", new Locator.GetByLabelOptions().setExact(true)).fill("12:00");
    reason.fill("Trying an impossible window");
    page.getByRole(AriaRole.BUTTON, named("Save restrictions")).click();

    Locator errorSummary = page.locator(".error-summary");
    assertThat(errorSummary).isFocused();
    assertThat(from).hasAttribute("aria-invalid", "true");
    // the message is in the same field as the input and tied to it for screen readers
    Locator fieldError = window.locator(".field.has-error .field-error");
    assertThat(fieldError).hasCount(1);
    String message = fieldError.innerText().replaceFirst("^Error:\\s*", "");
    assertFalse(message.isBlank());
    String describedBy = (String) from.evaluate(
        "el => el.getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id).textContent).join(' ')");
    assertTrue(describedBy.contains(message), "the From input is described by its error: " + describedBy);
    // the summary links to the field
    errorSummary.getByRole(AriaRole.LINK).first().click();
    assertThat(from).isFocused();
    // and nothing was saved
    assertEquals(versions, api.versions(contactId).size());
  }

  @Test
  void suspendingAContactWorksWithTheKeyboardAlone() {
    JsonObject person = api.createCarer("Keyboard Carer");
    JsonObject contact = api.approvedContact(PRISONER_ID, person.getString("id"), weekdayRestrictions());
    String contactId = contact.getString("id");
    String name = person.getString("name");
    StaffApiClient.StaffLogin officer = api.createOfficer("Keyboard Officer", kinlink.clock());
    TestTotp totp = kinlink.totp(officer.totpSecret());

    // sign in by typing: the email box has focus when the page opens
    page.navigate(base + "/staff/");
    Locator email = page.getByLabel("Email address");
    assertThat(email).isFocused();
    page.keyboard().type(officer.email());
    page.keyboard().press("Tab");
    assertThat(page.getByLabel("Password")).isFocused();
    page.keyboard().type(officer.password());
    page.keyboard().press("Enter");
    Locator otp = page.getByLabel("One-time code");
    assertThat(otp).isFocused();
    Locator prisoners = page.getByRole(AriaRole.HEADING, named("Prisoners"));
    // a new account: its first code is never one already used
    page.keyboard().type(totp.nextCode());
    page.keyboard().press("Enter");
    assertThat(prisoners).isFocused();

    // to A1234BC: Tab to the filter, type, Tab to her link, Enter
    tabUntil(page.getByLabel("Find by name or prison number"));
    page.keyboard().type(PRISON_NUMBER);
    Locator prisonerLink = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(PRISON_NUMBER))
        .getByRole(AriaRole.LINK);
    tabUntil(prisonerLink);
    page.keyboard().press("Enter");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).isFocused();

    Locator contactLink = page.getByRole(AriaRole.LINK, named("Manage contact with " + name));
    tabUntil(contactLink);
    page.keyboard().press("Enter");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText(name);

    Locator suspend = page.getByRole(AriaRole.BUTTON, named("Suspend"));
    tabUntil(suspend);
    // focus is visible: the focused button draws an outline
    assertNotEquals("none", suspend.evaluate("el => getComputedStyle(el).outlineStyle"));
    page.keyboard().press("Space");
    Locator dialog = page.getByRole(AriaRole.DIALOG);
    assertThat(dialog).isVisible();
    Locator reason = dialog.getByLabel("Reason", new Locator.GetByLabelOptions().setExact(true));
    assertThat(reason).isFocused();

    // Escape closes the dialog and gives focus back to the button that opened it (no trap)
    page.keyboard().press("Escape");
    assertThat(dialog).isHidden();
    assertThat(suspend).isFocused();

    // open again; sending without a reason is refused at the reason
    page.keyboard().press("Enter");
    assertThat(reason).isFocused();
    Locator confirm = dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Suspend").setExact(true));
    tabUntil(confirm);
    page.keyboard().press("Enter");
    Locator dialogErrors = dialog.locator(".error-summary");
    assertThat(dialogErrors).isFocused();
    assertThat(dialogErrors).containsText("Enter a reason");
    assertThat(reason).hasAttribute("aria-invalid", "true");
    assertEquals("APPROVED", api.contact(contactId).getString("state"), "nothing was sent without a reason");

    tabUntil(reason);
    page.keyboard().type("Disclosure during a call; pending review");
    tabUntil(confirm);
    page.keyboard().press("Enter");

    Locator done = page.getByText("Contact suspended.");
    assertThat(done).isVisible();
    assertThat(done.locator("xpath=..")).isFocused();
    assertThat(page.locator("#contact-state")).containsText("Suspended");
    JsonObject after = api.contact(contactId);
    assertEquals("SUSPENDED", after.getString("state"));
    assertEquals("Disclosure during a call; pending review", after.getString("state_reason"));
  }

  @Test
  void anExpiredAccessTokenIsRefreshedOnceAndAReloadKeepsTheSession() {
    StaffApiClient.StaffLogin officer = api.createOfficer("Session Officer", kinlink.clock());
    TestTotp totp = kinlink.totp(officer.totpSecret());
    // a node of its own (same Redis database and clock) whose access tokens live two seconds
    GatewayConfig c = kinlink.config();
    GatewayConfig shortTokens = new GatewayConfig(c.host(), c.port(), c.dataDir(), c.redisUrl(), c.insecureHttp(),
        c.tlsCertificate(), c.tlsPrivateKey(), c.verticles(), c.maxBodyBytes(), c.redisCommandTimeout(),
        Duration.ofSeconds(2), c.refreshTokenTtl(), c.auditCheckpointEvery(), c.auditCheckpointInterval(), c.demo());
    try (Gateway node = kinlink.start(shortTokens)) {
      List<String> calls = new CopyOnWriteArrayList<>();
      page.onResponse(r -> {
        if (r.url().contains("/api/v1/")) {
          calls.add(r.request().method() + " " + r.url().replaceFirst("^.*/api/v1", "").replaceFirst("\\?.*$", "") + " " + r.status());
        }
      });
      signIn("http://127.0.0.1:" + node.port(), officer.email(), officer.password(), totp);

      kinlink.clock().advance(Duration.ofSeconds(3)); // the access token runs out (the refresh token lives on)
      calls.clear();
      page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(PRISON_NUMBER))
          .getByRole(AriaRole.LINK).click();
      assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText(PRISON_NUMBER);
      assertThat(page.getByText("Contacts and their state")).isVisible();
      assertEquals(List.of("GET /contacts 401", "POST /auth/refresh 200", "GET /contacts 200"),
          calls.stream().filter(x -> x.startsWith("GET /contacts") || x.startsWith("POST /auth")).toList(),
          "one refresh, then the same request again");

      // a reload keeps the session (refresh token in this tab's sessionStorage) and the page
      page.reload();
      assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText(PRISON_NUMBER);

      // signing out ends the session on the server and forgets it here
      page.getByRole(AriaRole.BUTTON, named("Sign out")).click();
      assertThat(page.getByText("You have signed out.")).isVisible();
      assertTrue(calls.contains("POST /auth/logout 204"), calls.toString());
      assertEquals(0, ((Number) page.evaluate("sessionStorage.length")).intValue());
      page.reload();
      assertThat(page.getByLabel("Email address")).isVisible();
    }
  }

  /**
   * Every form control on the page has a label, every button a name, every id is unique and every
   * aria-describedby points at something: what a screen reader needs to announce the form.
   */
  private void assertEveryControlIsLabelled() {
    @SuppressWarnings("unchecked")
    List<String> problems = (List<String>) page.evaluate("""
        () => {
          const out = [];
          const seen = new Map();
          document.querySelectorAll('[id]').forEach((e) => seen.set(e.id, (seen.get(e.id) || 0) + 1));
          seen.forEach((n, id) => { if (n > 1) out.push('duplicate id ' + id); });
          document.querySelectorAll('input, select, textarea').forEach((e) => {
            if ((!e.labels || e.labels.length === 0) && !e.getAttribute('aria-label')) out.push('no label: ' + e.outerHTML.slice(0, 120));
          });
          document.querySelectorAll('button').forEach((b) => {
            if (!b.textContent.trim() && !b.getAttribute('aria-label')) out.push('unnamed button: ' + b.outerHTML.slice(0, 120));
          });
          document.querySelectorAll('[aria-describedby]').forEach((e) => {
            e.getAttribute('aria-describedby').split(/\\s+/).forEach((id) => {
              if (!document.getElementById(id)) out.push('aria-describedby points at nothing: ' + id);
            });
          });
          return out;
        }
        """);
    assertEquals(List.of(), problems);
  }

  /** Presses Tab until the target has focus (at most 80 times), as a keyboard user would. */
  private void tabUntil(Locator target) {
    for (int i = 0; i < 80; i++) {
      if ((Boolean) target.evaluate("el => el === document.activeElement")) {
        return;
      }
      page.keyboard().press("Tab");
    }
    throw new AssertionError("Tab never reached " + target);
  }
}
