package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.kinlink.gateway.browser.ConsoleBrowser.checkAtBothWidths;
import static org.kinlink.gateway.browser.ConsoleBrowser.h1;
import static org.kinlink.gateway.browser.ConsoleBrowser.named;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * #/admin/settings in the staff console, in Chromium against a real gateway with the demo data: the
 * demo admin of HMP Styal sees her establishment's defaults, saves new message retention and call
 * hours (the API then answers them), and a value the API refuses comes back as an error summary
 * linking to the field and the message beside it. Security staff have no such page.
 */
class EstablishmentSettingsBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  @RegisterExtension
  static final ConsolePages pages = new ConsolePages();

  private static final String ADMIN = "admin@demo.kinlink.test";
  private static final String ADMIN_PASSWORD = "admin-demo-2026";
  private static final String SECURITY = "security@styal.demo.kinlink.test";
  private static final String SECURITY_PASSWORD = "security-demo-2026";
  private static final String TOTP_SECRET = "KINLINKDEMOTOTPSECRETAAAAAAAAAAA";

  private static ConsoleBrowser browser;
  private static StaffApiClient admin;
  private static String establishment;
  private static String establishmentName;

  private Page page;

  @BeforeAll
  static void start() {
    Gateway gateway = kinlink.gateway();
    Gateway.await(DemoData.loadOnce(gateway.services().demoParts()));
    String base = "http://127.0.0.1:" + gateway.port();
    admin = new StaffApiClient(base);
    admin.signIn(ADMIN, ADMIN_PASSWORD, kinlink.totp(TOTP_SECRET));
    JsonObject est = admin.send("GET", "/api/v1/me", null, null).ok().getJsonObject("establishment");
    establishment = est.getString("id");
    establishmentName = est.getString("name");
    browser = pages.launch(base);
  }

  @BeforeEach
  void openPage() {
    page = pages.open();
  }

  private JsonObject apiGet(String what) {
    return admin.send("GET", "/api/v1/establishments/" + establishment + "/" + what, null, null).ok();
  }

  private Locator errorSummary() {
    return page.locator(".error-summary");
  }

  @Test
  void adminSeesDefaultsSavesBothFormsAndIsToldWhatIsWrong() {
    JsonObject messagingBefore = apiGet("messaging-settings");
    JsonObject callsBefore = apiGet("call-settings");
    assertEquals(messagingBefore.getInteger("default_retention_days"), messagingBefore.getInteger("retention_days"),
        "a fresh establishment starts on the default retention");

    browser.signIn(page, "/staff/", ADMIN, ADMIN_PASSWORD, kinlink.totp(TOTP_SECRET), "Prisoners");
    page.getByRole(AriaRole.LINK, named("Establishment settings")).click();
    assertThat(h1(page)).hasText("Establishment settings");
    // her establishment by name, never its id
    assertThat(page.locator("main")).containsText(establishmentName);
    assertFalse(page.locator("main").innerText().contains(establishment), "the page shows the establishment's id " + establishment);

    Locator retention = page.getByLabel("Days messages are kept");
    Locator opens = page.getByLabel("From", new Page.GetByLabelOptions().setExact(true));
    Locator closes = page.getByLabel("To", new Page.GetByLabelOptions().setExact(true));
    Locator capacity = page.getByLabel("Calls at the same time");
    Locator recordings = page.getByLabel("Days recordings are kept");
    assertThat(retention).hasValue(String.valueOf(messagingBefore.getInteger("retention_days")));
    JsonObject hours = callsBefore.getJsonObject("call_hours");
    assertThat(opens).hasValue(hours.getString("opens"));
    assertThat(closes).hasValue(hours.getString("closes"));
    assertThat(capacity).hasValue(String.valueOf(callsBefore.getInteger("capacity")));
    assertThat(recordings).hasValue(String.valueOf(callsBefore.getInteger("recording_retention_days")));
    String approvalLabel = callsBefore.getBoolean("approval_required") ? "Yes, a member of staff" : "No, calls booked";
    assertThat(page.getByLabel(approvalLabel)).isChecked();
    checkAtBothWidths(page, "staff #/admin/settings");

    // Messages: from the keyboard, as someone who does not use a mouse would
    retention.fill("45");
    retention.press("Enter");
    Locator saved = page.locator(".notice-ok");
    assertThat(saved).containsText("Message settings saved");
    assertThat(saved).isFocused();
    assertEquals(45, apiGet("messaging-settings").getInteger("retention_days"));

    // Video calls
    opens.fill("09:30");
    closes.fill("17:15");
    capacity.fill("12");
    page.getByLabel(Pattern.compile("^Yes, a member of staff")).check();
    recordings.fill("60");
    page.getByRole(AriaRole.BUTTON, named("Save video call settings")).click();
    assertThat(saved).containsText("Video call settings saved. Calls can be booked from 09:30 to 17:15.");
    JsonObject calls = apiGet("call-settings");
    assertEquals(new JsonObject().put("opens", "09:30").put("closes", "17:15"), calls.getJsonObject("call_hours"));
    assertEquals(12, calls.getInteger("capacity"));
    assertEquals(true, calls.getBoolean("approval_required"));
    assertEquals(60, calls.getInteger("recording_retention_days"));

    // closing before opening: the API names call_hours.closes; the summary links to "To"
    closes.fill("08:00");
    page.getByRole(AriaRole.BUTTON, named("Save video call settings")).click();
    assertThat(errorSummary()).isFocused();
    assertThat(errorSummary()).containsText("There is a problem");
    assertThat(errorSummary()).containsText("close after they open");
    assertThat(saved).hasCount(0);
    assertThat(closes).hasAttribute("aria-invalid", "true");
    String describedBy = closes.getAttribute("aria-describedby");
    assertThat(page.locator("#" + describedBy.split(" ")[0])).containsText("close after they open");
    assertThat(opens).not().hasAttribute("aria-invalid", "true");
    errorSummary().getByRole(AriaRole.LINK).first().click();
    assertThat(closes).isFocused();
    checkAtBothWidths(page, "staff #/admin/settings with an error");

    // no calls at once: refused, named on its field, and nothing saved
    closes.fill("17:15");
    capacity.fill("0");
    capacity.press("Enter");
    assertThat(errorSummary()).containsText("Between 1 and 500 calls");
    assertThat(capacity).hasAttribute("aria-invalid", "true");
    assertThat(closes).not().hasAttribute("aria-invalid", "true");
    assertEquals(12, apiGet("call-settings").getInteger("capacity"));

    // not a number at all: caught on the page, with the field named
    retention.fill("a month");
    page.getByRole(AriaRole.BUTTON, named("Save message settings")).click();
    assertThat(page.locator("form").first().locator(".error-summary")).containsText("days messages are kept as a whole number");
    assertThat(retention).hasAttribute("aria-invalid", "true");
    assertEquals(45, apiGet("messaging-settings").getInteger("retention_days"));
  }

  @Test
  void securityStaffHaveNoSettingsPageAndTheApiRefusesThemAChange() {
    browser.signIn(page, "/staff/", SECURITY, SECURITY_PASSWORD, kinlink.totp(TOTP_SECRET), "Prisoners");
    assertThat(page.getByRole(AriaRole.LINK, named("Establishment settings"))).hasCount(0);
    page.evaluate("location.hash = '#/admin/settings'");
    assertThat(h1(page)).hasText("Page not found");
    assertThat(page.getByLabel("Days messages are kept")).hasCount(0);

    StaffApiClient security = new StaffApiClient(browser.base);
    security.signIn(SECURITY, SECURITY_PASSWORD, kinlink.totp(TOTP_SECRET));
    int before = apiGet("messaging-settings").getInteger("retention_days");
    StaffApiClient.Answer refused = security.send("PUT", "/api/v1/establishments/" + establishment + "/messaging-settings",
        new JsonObject().put("retention_days", 30), null);
    assertEquals(403, refused.status());
    assertEquals(before, apiGet("messaging-settings").getInteger("retention_days"));
  }
}
