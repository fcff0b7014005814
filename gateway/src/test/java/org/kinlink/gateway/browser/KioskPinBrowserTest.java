package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.support.Axe;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestBrowser;

/**
 * In Chromium against a real gateway: a mother an officer registered with a PIN signs in on the
 * kiosk with it and is shown "Choose your own PIN" before anything else (axe-core WCAG 2.2 AA at 1280
 * and 390 px, with and without errors); the page tells her when her two new PINs differ, the gateway
 * when the new one is too simple, each beside its box; the same screen reads in Welsh at the switch;
 * then she lands in her conversations, and only her own PIN signs her in afterwards. An officer who
 * sets a new PIN in the staff console is told she will choose her own at her next sign-in.
 */
class KioskPinBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  @RegisterExtension
  static final ConsolePages pages = new ConsolePages();

  private static final String STAFF_PIN = "25807";
  private static final String CHOSEN = "736149";

  private static Gateway gateway;
  private static String base;
  private static AuthFixture styal;
  private static String officer;

  private Page page;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    base = "http://127.0.0.1:" + gateway.port();
    styal = kinlink.establishment();
    officer = styal.staffToken(kinlink.client(), Role.OFFICER);
    pages.launch(base);
  }

  @BeforeEach
  void openPage() {
    page = pages.open();
  }

  /** An officer registers her with a PIN over the API: her prison number (none of whose digits are in this test's PINs). */
  private static String registered() {
    String number = AuthFixture.prisonNumber();
    while (CHOSEN.contains(number.substring(1, 5)) || STAFF_PIN.contains(number.substring(1, 5))) {
      number = AuthFixture.prisonNumber();
    }
    var r = AuthFixture.post(kinlink.client(), "/api/v1/prisoners", officer,
        new JsonObject().put("prison_number", number).put("name", "Mary Kiosk").put("pin", STAFF_PIN));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return number;
  }

  private Locator h1() {
    return ConsoleBrowser.h1(page);
  }

  private Locator summary() {
    return page.locator(".error-summary");
  }

  private Locator box(String label) {
    return page.getByLabel(label, new Page.GetByLabelOptions().setExact(true));
  }

  private void both(String where) {
    Axe.assertNoViolations(page, where + " at 1280 px");
    page.setViewportSize(390, 844);
    Axe.assertNoViolations(page, where + " at 390 px");
    page.setViewportSize(1280, 900);
  }

  @Test
  void aMotherSignsInWithThePinStaffGaveChoosesHerOwnAndReachesHerConversations() {
    String number = registered();
    page.navigate(base + "/kiosk/setup.html");
    TestBrowser.enrolKiosk(page, gateway, styal.est);
    page.navigate(base + "/kiosk/");
    assertThat(h1()).hasText("Sign in");
    page.getByLabel("Prison number").fill(number);
    page.getByLabel("PIN").fill(STAFF_PIN);
    page.locator("form.signin button[type=submit]").click();

    assertThat(h1()).hasText("Choose your own PIN");
    assertThat(h1()).isFocused();
    assertThat(page).hasTitle("Choose your own PIN – Kinlink kiosk");
    assertEquals(0, page.getByText("Your messages").count(), "nothing else until she has chosen");
    Locator current = box("The PIN you signed in with");
    Locator next = box("Your new PIN");
    Locator again = box("Your new PIN again");
    for (Locator b : new Locator[] {current, next, again}) {
      assertThat(b).hasAttribute("inputmode", "numeric");
      assertThat(b).hasAttribute("autocomplete", "off");
    }
    both("kiosk: choose your own PIN");
    Locator save = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save my new PIN"));

    // the two new PINs differ: the page says so beside the second, in a summary that takes focus
    current.fill(STAFF_PIN);
    next.fill(CHOSEN);
    again.fill("736194");
    save.click();
    assertThat(summary()).isFocused();
    assertThat(summary()).containsText("There is a problem");
    Locator mismatch = summary().getByRole(AriaRole.LINK,
        new Locator.GetByRoleOptions().setName("The two new PINs are not the same. Type your new PIN again."));
    assertThat(mismatch).isVisible();
    assertThat(again).hasAttribute("aria-invalid", "true");
    assertThat(page.locator(".field.has-error")).hasCount(1);
    assertThat(page.locator(".field.has-error")).containsText("Your new PIN again");
    both("kiosk: choose your own PIN (errors)");
    mismatch.click();
    assertThat(again).isFocused();

    // too simple: the gateway refuses it, and the page shows why beside the new PIN
    next.fill("1234");
    again.fill("1234");
    save.click();
    assertThat(summary()).isFocused();
    assertThat(page.locator(".field.has-error")).hasCount(1);
    assertThat(page.locator(".field.has-error")).containsText("Do not use numbers in a row, like 1234 or 9876.");
    assertThat(next).hasAttribute("aria-invalid", "true");

    // the same screen in Welsh, without leaving it
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cymraeg")).click();
    assertThat(page.locator("html")).hasAttribute("lang", "cy");
    assertThat(h1()).hasText("Dewiswch eich PIN eich hun");
    assertThat(page).hasTitle("Dewiswch eich PIN eich hun – Ciosg Kinlink");
    box("Y PIN y gwnaethoch fewngofnodi ag ef").fill(STAFF_PIN);
    box("Eich PIN newydd").fill(CHOSEN);
    box("Eich PIN newydd eto").fill("111");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cadw fy PIN newydd")).click();
    assertThat(summary()).isFocused();
    assertThat(summary()).containsText("Mae problem");
    assertThat(summary()).containsText("Dydy\u2019r ddau PIN newydd ddim yr un fath.");
    both("kiosk: choose your own PIN in Welsh (errors)");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("English")).click();
    assertThat(h1()).hasText("Choose your own PIN");

    current.fill(STAFF_PIN);
    next.fill(CHOSEN);
    again.fill(CHOSEN);
    save.click();
    assertThat(h1()).hasText("Your messages");
    assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions()
        .setHasText("Your PIN is changed. Only you know it now."))).isVisible();

    // only her own PIN signs her in now, to a full session
    WebClient client = kinlink.client();
    String device = styal.device(true).id();
    assertEquals(401, AuthFixture.kiosk(client, number, STAFF_PIN, device).statusCode(), "the PIN staff knew no longer works");
    var mine = AuthFixture.kiosk(client, number, CHOSEN, device);
    assertEquals(200, mine.statusCode(), mine.bodyAsString());
    assertFalse(mine.bodyAsJsonObject().getBoolean("pin_change_required"));
  }

  @Test
  void anOfficerSetsANewPinInTheConsoleAndIsToldSheWillChooseHerOwn() {
    Prisoner p = styal.prisoner("2468");
    AuthFixture.Staff staff = styal.staff(Role.OFFICER);
    ConsoleBrowser.signInAt(page, base + "/staff/", staff.account().email(), staff.password(), staff.totp(), "Prisoners");
    page.getByLabel("Find by name or prison number").fill(p.prisonNumber());
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Contacts of " + p.name())).click();
    assertThat(h1()).containsText(p.prisonNumber());

    Locator form = page.locator("form[aria-labelledby=pinreset-title]");
    assertThat(form.locator("[data-pin-status]")).hasText(p.name() + " signs in with a PIN she chose. Staff do not know it.");
    form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save new PIN")).click();
    assertThat(form.locator(".error-summary")).isVisible();
    assertThat(form.getByLabel("New kiosk PIN")).hasAttribute("aria-invalid", "true");
    form.getByLabel("New kiosk PIN").fill("48213");
    form.getByLabel("Why she needs a new PIN").fill("She forgot her PIN");
    form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save new PIN")).click();
    assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText(
        p.name() + "\u2019s new PIN is saved. She will be asked to choose her own PIN at her next sign-in."))).isVisible();
    assertThat(form.locator("[data-pin-status]")).hasText(p.name() + " has not chosen her own PIN yet. "
        + "The PIN staff set lets her sign in once, to choose hers.");
    both("staff: prisoner with a new kiosk PIN");

    var signIn = AuthFixture.kiosk(kinlink.client(), p.prisonNumber(), "48213", styal.device(true).id());
    assertEquals(200, signIn.statusCode(), signIn.bodyAsString());
    assertTrue(signIn.bodyAsJsonObject().getBoolean("pin_change_required"), "the PIN the officer typed is one-time");
  }
}
