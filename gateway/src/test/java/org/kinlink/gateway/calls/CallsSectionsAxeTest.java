package org.kinlink.gateway.calls;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.support.Axe;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.demo.DemoIds;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestBrowser;
import org.kinlink.gateway.support.TestTotp;

/**
 * axe-core (WCAG 2.2 AA) on the kiosk's and the portal's Calls section while signed in, with an
 * upcoming call listed, at 1280 and 390 px: the demo kiosk mother (A1234BC on the demo kiosk), the
 * demo carer, and the demo school lead (with her one-time code) on Jade's supervised call.
 */
class CallsSectionsAxeTest {
  // demo mode: the demo kiosks and their keys exist only there
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create().configure(c -> c.withDemo(true));

  private static Gateway gateway;
  private static TestBrowser chromium;
  private static String base;
  private static TestTotp leadCodes;

  private BrowserContext context;

  @BeforeAll
  static void start() throws Exception {
    chromium = TestBrowser.start();
    gateway = kinlink.gateway();
    Gateway.await(DemoData.loadOnce(gateway.services().demoParts()));
    base = "http://127.0.0.1:" + gateway.port();
    leadCodes = kinlink.totp(DemoIds.TOTP_SECRET);
    // the next weekday at 10:00 UK time: inside the school's and the after-school call windows
    ZonedDateTime day = kinlink.clock().instant().atZone(CallSettings.LONDON).plusDays(1).with(LocalTime.of(10, 0));
    while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
      day = day.plusDays(1);
    }
    kinlink.clock().set(day.toInstant());
    book(login("carer@demo.kinlink.test", "carer-demo-2026", null), DemoIds.PERSON_CARER, day.with(LocalTime.of(16, 0)).toInstant());
    book(login("dsl@demo.kinlink.test", "school-demo-2026", leadCodes.nextCode()), DemoIds.PERSON_DAUGHTER,
        day.with(LocalTime.of(11, 0)).toInstant());
  }

  private static String login(String email, String password, String otp) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (otp != null) {
      body.put("otp", otp);
    }
    HttpResponse<Buffer> r = AuthFixture.post(kinlink.client(), "/api/v1/auth/login", body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("access_token");
  }

  /** Books a call on A1234BC's contact with {@code party}, as the person signed in with {@code token}. */
  private static void book(String token, String party, Instant start) {
    String contact = Gateway.await(gateway.services().contacts().snapshots().current(DemoIds.PRISONER_A1234BC))
        .contactWith(party).orElseThrow().id();
    HttpResponse<Buffer> r = AuthFixture.post(kinlink.client(), "/api/v1/calls", token,
        new JsonObject().put("contact_id", contact).put("start", start.toString()).put("duration", 30));
    assertEquals(201, r.statusCode(), r.bodyAsString());
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void open() {
    context = chromium.browser().newContext(new Browser.NewContextOptions().setLocale("en-GB").setTimezoneId("Europe/London")
        .setViewportSize(1280, 900));
  }

  @AfterEach
  void close() {
    context.close();
  }

  private Page page() {
    Page page = context.newPage();
    page.setDefaultTimeout(15_000);
    page.onPageError(e -> System.out.println("[browser] error: " + e));
    return page;
  }

  @Test
  void theDemoKioskMothersCallsSection() {
    Page page = page();
    page.navigate(base + "/kiosk/setup.html");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("Use HMP Styal"))).first().click();
    assertThat(page.getByText("This kiosk is set up as the demo kiosk kiosk-styal-01.")).isVisible();
    page.navigate(base + "/kiosk/");
    page.getByLabel("Prison number").fill("A1234BC");
    page.getByLabel("PIN").fill("2580");
    page.locator("form.signin button[type=submit]").click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Your messages");
    checkCalls(page, "kiosk Calls (A1234BC)", 2);
  }

  @Test
  void theDemoCarersCallsSection() {
    Page page = portal("carer@demo.kinlink.test", "carer-demo-2026", false);
    checkCalls(page, "portal Calls (carer)", 1);
  }

  @Test
  void theDemoSchoolLeadsCallsSection() {
    Page page = portal("dsl@demo.kinlink.test", "school-demo-2026", true);
    checkCalls(page, "portal Calls (school lead)", 1);
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Make a join link for the child"))).isVisible();
  }

  private Page portal(String email, String password, boolean totp) {
    Page page = page();
    page.navigate(base + "/portal/");
    page.getByLabel("Email address").fill(email);
    page.getByLabel("Password").fill(password);
    page.locator("form.signin button[type=submit]").click();
    if (totp) {
      page.getByLabel("One-time code").fill(leadCodes.nextCode());
      page.locator("form.signin button[type=submit]").click();
    }
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Your messages");
    return page;
  }

  /** The Calls section lists the upcoming calls; axe finds nothing on the signed-in page at 1280 and 390 px. */
  private static void checkCalls(Page page, String where, int calls) {
    Locator items = page.locator("#calls-list li[data-call]");
    assertThat(items).hasCount(calls);
    page.locator("#calls-section").scrollIntoViewIfNeeded();
    Axe.assertNoViolations(page, where);
    page.setViewportSize(390, 844);
    page.locator("#calls-section").scrollIntoViewIfNeeded();
    Axe.assertNoViolations(page, where + " at 390 px");
  }

}
