package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.gateway.browser.ConsoleBrowser.checkAtBothWidths;
import static org.kinlink.gateway.browser.ConsoleBrowser.h1;
import static org.kinlink.gateway.browser.ConsoleBrowser.named;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestTotp;

/**
 * The day-one work of issue 10 in real Chromium against a real gateway on real Redis: the approval
 * queue, adding a contact, changing clearance, unlocking a kiosk sign-in, security suspending a
 * contact (and not being offered to reinstate it), the security console's audit log, export and
 * chain check, and an admin creating a staff account. Every page the flows pass is checked with
 * axe-core (WCAG 2.2 AA) at 1280 and 390 px, and for sideways scrolling on the phone.
 * The tests work in an establishment of their own (AuthFixture), each with accounts of its own.
 */
class ConsolesBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  @RegisterExtension
  static final ConsolePages pages = new ConsolePages();

  private static final String PIN = "2468";
  private static final SecretHasher HASHER = new SecretHasher();

  private static Gateway gateway;
  private static ConsoleBrowser browser;
  private static AuthFixture fix;
  private static StaffApiClient setup;
  private static String pinHash;

  private Page page;

  @BeforeAll
  static void start() {
    gateway = kinlink.gateway();
    fix = kinlink.establishment();
    pinHash = HASHER.hashNow(PIN);
    String base = "http://127.0.0.1:" + gateway.port();
    AuthFixture.Staff officer = fix.staff(Role.OFFICER);
    setup = new StaffApiClient(base);
    setup.signIn(officer.account().email(), officer.password(), kinlink.totp(officer.totpSecret()));
    browser = pages.launch(base);
  }

  @BeforeEach
  void openPage() {
    page = pages.open();
  }

  // ---------------------------------------------------------------- fixtures

  private static String tag() {
    return UUID.randomUUID().toString().substring(0, 6);
  }

  /** A prisoner of the test establishment with a name no other test uses. */
  private static Prisoner prisoner(String name, Clearance clearance) {
    while (true) {
      String number = AuthFixture.prisonNumber();
      Prisoner p = new Prisoner(PrisonNumber.prisonerId(number), number, name, fix.est, clearance,
          EnumSet.noneOf(PrisonerFlag.class), pinHash, Instant.now());
      try {
        Gateway.await(fix.directory.createPrisoner(p));
        return p;
      } catch (RuntimeException taken) {
        // the number was drawn before: draw again
      }
    }
  }

  private static JsonObject person(String kind, String name) {
    return setup.send("POST", "/api/v1/people", new JsonObject().put("kind", kind).put("name", name), null).ok();
  }

  private static JsonObject propose(Prisoner p, JsonObject person, String relationship) {
    return setup.send("POST", "/api/v1/contacts", new JsonObject().put("prisoner_id", p.id())
        .put("person_id", person.getString("id")).put("relationship", relationship).put("reason", "Browser test"), null).ok();
  }

  private static JsonObject approved(Prisoner p, JsonObject person, String relationship) {
    JsonObject c = propose(p, person, relationship);
    setup.send("POST", "/api/v1/contacts/" + c.getString("id") + "/approve", new JsonObject().put("reason", "Checked"), null).ok();
    JsonObject policy = setup.send("GET", "/api/v1/contacts/" + c.getString("id") + "/policy", null, null).ok();
    JsonObject doc = policy.getJsonObject("policy").copy().put("channels", new JsonArray().add("MESSAGE").add("VIDEO"));
    setup.send("PUT", "/api/v1/contacts/" + c.getString("id") + "/policy", new JsonObject().put("policy", doc)
        .put("reason", "Messages and video"), "\"" + policy.getInteger("version") + "\"").ok();
    return c;
  }

  /** A fresh account of the test establishment signed in at a console. */
  private AuthFixture.Staff signIn(Role role, String console, String firstHeading) {
    AuthFixture.Staff s = fix.staff(role);
    browser.signIn(page, console, s.account().email(), s.password(), kinlink.totp(s.totpSecret()), firstHeading);
    return s;
  }

  /** The text as a regular expression matching itself (Java's \\Q…\\E does not reach the browser). */
  private static String lit(String text) {
    return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
  }

  /** Follows a link of the console's navigation. */
  private void nav(String name) {
    page.locator("#console-nav").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(name).setExact(true)).click();
  }

  private void findPrisoner(Prisoner p) {
    page.getByLabel("Find by name or prison number").fill(p.prisonNumber());
    Locator link = page.getByRole(AriaRole.LINK, named("Contacts of " + p.name()));
    link.click();
    assertThat(h1(page)).containsText(p.prisonNumber());
  }

  // ---------------------------------------------------------------- flows

  @Test
  void anOfficerWorksTheApprovalQueue() {
    Prisoner p = prisoner("Queue Mother " + tag(), Clearance.FULL);
    JsonObject carer = person("CARER", "Queue Carer " + tag());
    propose(p, carer, "CARER");
    boolean queueOnServer = setup.send("GET", "/api/v1/contacts?state=PENDING", null, null).status() == 200;

    signIn(Role.OFFICER, "/staff/", "Prisoners");
    checkAtBothWidths(page, "staff: prisoners");
    page.getByRole(AriaRole.LINK, named("Waiting for approval")).click();
    assertThat(h1(page)).hasText("Contacts waiting for approval");
    checkAtBothWidths(page, "staff: approvals");
    if (!queueOnServer) {
      // the gateway has no list across the establishment yet: the page says so in plain words
      assertThat(page.getByText(Pattern.compile("not available on this gateway yet"))).isVisible();
      return;
    }
    Locator review = page.getByRole(AriaRole.LINK, named(Pattern.compile("^Review " + lit(carer.getString("name")))));
    review.click();
    assertThat(h1(page)).containsText(carer.getString("name"));
    page.getByRole(AriaRole.BUTTON, named("Approve")).click();
    page.getByRole(AriaRole.DIALOG).getByLabel("Reason", new Locator.GetByLabelOptions().setExact(true)).fill("Identity checked at visits");
    page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve").setExact(true)).click();
    assertThat(page.getByText("Contact approved.")).isVisible();
    assertThat(page.locator("#contact-state")).containsText("Approved");
    page.getByRole(AriaRole.LINK, named("Waiting for approval")).click();
    assertThat(page.getByRole(AriaRole.LINK, named(Pattern.compile("^Review " + lit(carer.getString("name")))))).hasCount(0);
  }

  @Test
  void anOfficerAddsAContactByPickingThePersonByName() {
    Prisoner p = prisoner("Adding Mother " + tag(), Clearance.FULL);
    String name = "Nan Added " + tag();
    person("CARER", name);

    signIn(Role.OFFICER, "/staff/", "Prisoners");
    findPrisoner(p);
    checkAtBothWidths(page, "staff: prisoner");
    page.getByRole(AriaRole.LINK, named("Add a contact")).click();
    assertThat(h1(page)).containsText("Add a contact for " + p.name());
    // the person is required, and the error says what to do
    page.getByRole(AriaRole.BUTTON, named("Add contact")).click();
    assertThat(page.locator(".error-summary")).containsText("Search for the person and choose them from the list.");
    page.getByLabel("Find the person by name").fill(name);
    Locator choice = page.getByLabel(Pattern.compile("^" + lit(name)));
    choice.check();
    assertThat(page.getByLabel("Relationship")).hasValue("CARER");
    checkAtBothWidths(page, "staff: add contact");
    page.getByLabel("Why this contact (optional)").fill("Grandmother, looks after the children");
    page.getByRole(AriaRole.BUTTON, named("Add contact")).click();
    assertThat(h1(page)).containsText(name);
    assertThat(page.locator("#contact-state")).containsText("Waiting for approval");
    checkAtBothWidths(page, "staff: contact");
  }

  @Test
  void clearanceIsShownOnThePrisonerAndHerChildContactsAndChangedWithItsHistory() {
    Prisoner p = prisoner("Clearance Mother " + tag(), Clearance.FULL);
    JsonObject child = person("CHILD", "Kid Clearance " + tag());
    propose(p, child, "CHILD");

    AuthFixture.Staff officer = signIn(Role.OFFICER, "/staff/", "Prisoners");
    findPrisoner(p);
    assertThat(page.locator("#prisoner-clearance")).containsText("Full");
    assertThat(page.locator(".child-clearance").first()).containsText("Full");
    // an officer may lower it at once, never raise it: only the levels at or below today's are offered
    Locator level = page.getByLabel("Clearance", new Page.GetByLabelOptions().setExact(true));
    assertThat(page.getByText("Only a family worker or an administrator can raise it")).isVisible();
    level.selectOption("WRITTEN");
    page.getByRole(AriaRole.BUTTON, named("Save clearance")).click();
    assertThat(page.locator(".error-summary")).containsText("Enter a reason");
    page.locator("form:has(#clearance-change-title) textarea").fill("Police public protection unit called");
    page.getByRole(AriaRole.BUTTON, named("Save clearance")).click();
    assertThat(page.getByText("Clearance is now “Written only”.")).isVisible();
    assertThat(page.locator("#prisoner-clearance")).containsText("Written only");
    assertThat(page.locator("#clearance-history tbody tr").first()).containsText("Written only");
    level.selectOption("NONE");
    page.locator("form:has(#clearance-change-title) textarea").fill("Police public protection unit called");
    page.getByRole(AriaRole.BUTTON, named("Save clearance")).click();
    assertThat(page.getByText("Clearance is now “None”.")).isVisible();
    Locator history = page.locator("#clearance-history tbody tr").first();
    assertThat(history).containsText("Written only → None");
    assertThat(history).containsText(officer.account().name());
    assertThat(history).containsText("(officer)");
    assertThat(history).containsText("Police public protection unit called");
    List<String> offered = level.locator("option").allTextContents();
    assertEquals(List.of("None"), offered, "raising is not offered to an officer");
    assertThat(page.locator(".child-clearance").first()).containsText("None");
    checkAtBothWidths(page, "staff: prisoner with clearance history");

    // the child contact names the clearance that governs it
    page.getByRole(AriaRole.LINK, named("Manage contact with " + child.getString("name"))).click();
    assertThat(page.locator("dd.child-clearance")).containsText("None");
  }

  @Test
  void anOfficerUnlocksALockedKioskSignIn() {
    Prisoner p = prisoner("Locked Mother " + tag(), Clearance.FULL);
    String device = fix.device(true).id();
    var client = kinlink.client();
    int last = 0;
    for (int i = 0; i < 6; i++) {
      last = AuthFixture.kiosk(client, p.prisonNumber(), "0000", device).statusCode();
    }
    assertEquals(429, last, "five wrong PINs lock the kiosk sign-in");
    assertEquals(429, AuthFixture.kiosk(client, p.prisonNumber(), PIN, device).statusCode(), "even the right PIN waits");

    signIn(Role.OFFICER, "/staff/", "Prisoners");
    findPrisoner(p);
    page.getByRole(AriaRole.BUTTON, named("Unlock kiosk sign-in")).click();
    assertThat(page.getByText("The lock is lifted: " + p.name() + " can sign in on the kiosk now.")).isVisible();
    assertEquals(200, AuthFixture.kiosk(client, p.prisonNumber(), PIN, device).statusCode(), "she can sign in again");
  }

  @Test
  void securitySuspendsAtOnceTightensButIsNotOfferedToReinstateOrLoosen() {
    Prisoner p = prisoner("Intel Mother " + tag(), Clearance.FULL);
    JsonObject carer = person("CARER", "Intel Carer " + tag());
    String id = approved(p, carer, "CARER").getString("id");

    AuthFixture.Staff security = signIn(Role.SECURITY, "/staff/", "Prisoners");
    page.navigate(browser.base + "/staff/#/contacts/" + id);
    assertThat(h1(page)).containsText(carer.getString("name"));
    assertThat(page.getByRole(AriaRole.BUTTON, named("Approve"))).hasCount(0);
    assertThat(page.getByText("Only an officer, family worker or administrator can approve or reinstate a contact.")).isVisible();
    checkAtBothWidths(page, "staff: contact as security");
    page.getByRole(AriaRole.BUTTON, named("Suspend")).click();
    Locator dialog = page.getByRole(AriaRole.DIALOG);
    assertThat(dialog).isVisible();
    checkAtBothWidths(page, "staff: suspend dialog");
    dialog.getByLabel("Reason", new Locator.GetByLabelOptions().setExact(true)).fill("Intelligence report 2291: threats passed on calls");
    dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Suspend").setExact(true)).click();
    assertThat(page.getByText("Contact suspended.")).isVisible();
    assertThat(page.locator("#contact-state")).containsText("Suspended");
    assertThat(page.getByRole(AriaRole.BUTTON, named("Reinstate"))).hasCount(0);
    assertThat(page.getByText("Only an officer, family worker or administrator can approve or reinstate a contact.")).isVisible();
    // the history tells the state change apart and names who made it
    Locator latest = page.locator("#history-table tbody tr").first();
    assertThat(latest).containsText("State: Suspended");
    assertThat(latest).containsText("(security)");
    assertThat(latest).containsText("Intelligence report 2291");

    // the API agrees: security may not reinstate
    StaffApiClient asSecurity = new StaffApiClient(browser.base);
    asSecurity.signIn(security.account().email(), security.password(), kinlink.totp(security.totpSecret()));
    assertEquals(403, asSecurity.send("POST", "/api/v1/contacts/" + id + "/approve",
        new JsonObject().put("reason", "cleared"), null).status());
    assertEquals("SUSPENDED", setup.send("GET", "/api/v1/contacts/" + id, null, null).ok().getString("state"));

    // restrictions: stricter is saved, looser is refused in plain words and what was typed stays
    page.getByRole(AriaRole.BUTTON, named("Change restrictions")).click();
    assertThat(page.getByText(Pattern.compile("^You can make these restrictions stricter"))).isVisible();
    checkAtBothWidths(page, "staff: restrictions form (tighten only)");
    Locator video = page.getByRole(AriaRole.CHECKBOX, named("Video calls"));
    video.uncheck();
    page.getByLabel("Reason for this change").fill("No video while intelligence is assessed");
    page.getByRole(AriaRole.BUTTON, named("Save restrictions")).click();
    assertThat(page.getByText(Pattern.compile("Restrictions saved as version \\d+\\."))).isVisible();
    page.getByRole(AriaRole.BUTTON, named("Change restrictions")).click();
    page.getByRole(AriaRole.CHECKBOX, named("Video calls")).check();
    page.getByRole(AriaRole.CHECKBOX, named("Photos")).check();
    page.getByLabel("Reason for this change").fill("Trying to loosen");
    page.getByRole(AriaRole.BUTTON, named("Save restrictions")).click();
    Locator refusal = page.locator(".error-summary");
    assertThat(refusal).isFocused();
    assertThat(refusal).containsText("Only an officer, family worker or administrator can loosen restrictions");
    assertFalse(refusal.innerText().contains("SECURITY"), "no developer text: " + refusal.innerText());
    assertThat(page.getByText(Pattern.compile("Restrictions saved as version"))).hasCount(0);
    assertThat(page.getByRole(AriaRole.CHECKBOX, named("Video calls"))).isChecked();
    assertThat(page.getByLabel("Reason for this change")).hasValue("Trying to loosen");
  }

  @Test
  void securityReadsFiltersExportsAndChecksTheAuditLog() throws Exception {
    Prisoner p = prisoner("Audit Mother " + tag(), Clearance.FULL);
    JsonObject carer = person("CARER", "Audit Carer " + tag());
    String id = approved(p, carer, "CARER").getString("id");
    setup.send("POST", "/api/v1/contacts/" + id + "/suspend", new JsonObject().put("reason", "Disclosure on a call"), null).ok();
    AuthFixture.Staff victim = fix.staff(Role.FAMILY_WORKER);
    setup.send("POST", "/api/v1/auth/login", new JsonObject().put("email", victim.account().email()).put("password", "wrong password 1"), null);

    signIn(Role.SECURITY, "/security/", "Security overview");
    checkAtBothWidths(page, "security: overview");
    nav("Audit log");
    assertThat(h1(page)).hasText("Audit log");
    checkAtBothWidths(page, "security: audit log");
    page.getByLabel("Prisoner", new Page.GetByLabelOptions().setExact(true)).fill(p.prisonNumber());
    page.getByLabel("What happened").selectOption("contact.suspend");
    page.getByRole(AriaRole.BUTTON, named("Show entries")).click();
    Locator entries = page.locator("#audit-entries > li");
    assertThat(entries).hasCount(1);
    assertThat(entries.first()).containsText("suspended the contact between " + carer.getString("name") + " and " + p.name());
    assertThat(entries.first()).containsText("Disclosure on a call");
    entries.first().getByText(Pattern.compile("^Details of entry")).click();
    assertThat(entries.first().locator("dl")).containsText("Approved → Suspended");
    assertTrue(page.url().contains("action=contact.suspend"), "the filter is in the address: " + page.url());
    checkAtBothWidths(page, "security: audit log filtered, entry open");

    Download csv = page.waitForDownload(() -> page.getByRole(AriaRole.BUTTON, named("Download CSV")).click());
    List<String> lines = Files.readAllLines(csv.path());
    assertTrue(lines.get(0).startsWith("seq,at,action"), lines.get(0));
    assertEquals(2, lines.size(), "the header and the one matching entry: " + lines);
    assertTrue(lines.get(1).contains("contact.suspend") && lines.get(1).contains(id), lines.get(1));
    assertThat(page.getByText(Pattern.compile("^1 entry exported as kinlink-audit-.*\\.csv\\.$"))).isVisible();
    Download ndjson = page.waitForDownload(() -> page.getByRole(AriaRole.BUTTON, named("Download NDJSON (JSON lines)")).click());
    List<String> json = Files.readAllLines(ndjson.path()).stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, json.size());
    assertEquals("contact.suspend", new JsonObject(json.get(0)).getString("action"));

    nav("Check the log");
    page.getByRole(AriaRole.BUTTON, named("Check the log now")).click();
    assertThat(page.getByRole(AriaRole.HEADING, named("The audit log is whole"))).isVisible();
    assertThat(page.locator(".verify-result")).containsText(Pattern.compile("All \\d+ entries are in order"));
    checkAtBothWidths(page, "security: check the log");

    nav("Sign-ins and lockouts");
    Locator failure = page.locator("#failures-table tbody tr").filter(new Locator.FilterOptions().setHasText(victim.account().email()));
    assertThat(failure).containsText("wrong password");
    checkAtBothWidths(page, "security: sign-ins and lockouts");

    nav("Review queue");
    assertThat(h1(page)).hasText("Review queue");
    assertThat(page.getByText(Pattern.compile("Nothing is waiting for review|not available on this gateway yet|waiting; the oldest"))).isVisible();
    checkAtBothWidths(page, "security: review queue");
  }

  @Test
  void anAdminCreatesAStaffAccountWithItsEnrolmentCodeAndEnrolsAKiosk() {
    signIn(Role.ADMIN, "/staff/", "Prisoners");
    page.getByRole(AriaRole.LINK, named("Staff accounts")).click();
    assertThat(h1(page)).hasText("Staff accounts");
    checkAtBothWidths(page, "staff: staff accounts");
    String name = "New Security " + tag();
    String email = "new-" + tag() + "@test.kinlink.test";
    page.getByLabel("Email address").fill("not an email");
    page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(name);
    page.getByRole(AriaRole.BUTTON, named("Create account")).click();
    assertThat(page.locator(".error-summary")).containsText("Enter an email address in the form name@example.org.");
    page.getByLabel("Email address").fill(email);
    page.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("SECURITY");
    String password = page.getByLabel("First password").inputValue();
    page.getByRole(AriaRole.BUTTON, named("Create account")).click();
    Locator enrolment = page.locator("#enrolment");
    assertThat(enrolment).isFocused();
    assertThat(page.getByRole(AriaRole.IMG, named("QR code to set up one-time codes for " + name))).isVisible();
    String secret = page.locator("#totp-secret").innerText().trim();
    checkAtBothWidths(page, "staff: staff account created (QR code)");
    assertThat(page.locator("#staff-table")).containsText(name);
    // the account works with what the page showed
    new StaffApiClient(browser.base).signIn(email, password, kinlink.totp(secret));

    page.getByRole(AriaRole.LINK, named("Kiosk devices")).click();
    String device = "STY-KIOSK-" + tag();
    page.getByLabel("Device identifier").fill(device);
    page.getByLabel("Where it is").fill("Wing B, landing 2");
    page.getByRole(AriaRole.BUTTON, named("Enrol kiosk")).click();
    Locator issued = page.locator("#enrolment-code");
    assertThat(issued).containsText("Kiosk " + device + " is registered.");
    assertThat(issued).containsText("/kiosk/setup.html");
    assertThat(page.locator("#devices-table")).containsText("Waiting for its key");
    checkAtBothWidths(page, "staff: kiosk devices");
    // the code the page showed is the one the kiosk enrols its key with
    String code = issued.locator("code").innerText().trim();
    assertEquals(200, setup.send("POST", "/api/v1/devices/enrol",
        org.kinlink.gateway.support.TestKiosk.unenrolled(device).enrolmentBody(code), null).status());
    page.getByRole(AriaRole.BUTTON, named(Pattern.compile("^Withdraw " + lit(device)))).click();
    assertThat(page.getByText("Kiosk " + device + " is withdrawn: nobody can sign in on it.")).isVisible();
  }

  @Test
  void eachRoleIsSentToItsOwnConsoleAndUnknownPagesLinkHome() {
    signIn(Role.OFFICER, "/security/", "This is not your console");
    assertThat(page.getByText("The security console is for security staff")).isVisible();
    checkAtBothWidths(page, "security: wrong console");
    page.getByRole(AriaRole.LINK, named("staff console")).click();
    assertThat(h1(page)).hasText("Prisoners");

    page.navigate(browser.base + "/staff/#/no-such-page");
    assertThat(h1(page)).hasText("Page not found");
    assertEquals("Page not found – Kinlink staff console", page.title());

    List<String> missing = new java.util.ArrayList<>(List.of("/nothing-here"));
    for (String client : List.of("/kiosk/", "/portal/")) {
      if (setup.send("GET", client, null, null).status() == 404) {
        missing.add(client);
      }
    }
    for (String path : missing) {
      var response = page.navigate(browser.base + path);
      assertEquals(404, response.status(), path);
      assertEquals("Page not found – Kinlink", page.title());
      assertEquals("en-GB", page.locator("html").getAttribute("lang"));
      assertThat(page.getByRole(AriaRole.LINK, named("Go to the Kinlink home page"))).isVisible();
    }
    checkAtBothWidths(page, "404 page");

    page.navigate(browser.base + "/");
    assertThat(page.getByRole(AriaRole.LINK, named("Staff console"))).isVisible();
    assertThat(page.getByRole(AriaRole.LINK, named("Security console"))).isVisible();
    // a client not served yet is named and said to be coming, never linked to a 404; one served is linked
    for (String client : List.of("/kiosk/", "/portal/")) {
      Locator link = page.locator("a[href='" + client + "']");
      if (missing.contains(client)) {
        assertThat(link).hasCount(0);
        assertThat(page.locator("[data-client='" + client + "']")).containsText("Coming soon.");
      } else {
        assertThat(link).hasCount(1);
      }
    }
    checkAtBothWidths(page, "home page");
  }

  @Test
  void anOfficerRegistersAPrisonerAndErrorsSayWhatToDo() {
    page.navigate(browser.base + "/staff/");
    assertThat(page.getByLabel("Email address")).isFocused();
    checkAtBothWidths(page, "staff: sign in");
    signIn(Role.OFFICER, "/staff/", "Prisoners");
    page.getByRole(AriaRole.LINK, named("Register a prisoner")).click();
    assertThat(h1(page)).hasText("Register a prisoner");
    page.getByLabel("Prison number").fill("12345");
    page.getByLabel("Full name").fill("");
    page.getByLabel("Kiosk PIN").fill("12");
    page.getByRole(AriaRole.BUTTON, named("Register prisoner")).click();
    Locator errors = page.locator(".error-summary");
    assertThat(errors).isFocused();
    assertThat(errors).containsText("Enter the prison number as a letter, four digits and two letters, for example A1234BC.");
    assertThat(errors).containsText("Enter the prisoner’s full name.");
    assertThat(errors).containsText("Enter a PIN of 4 to 8 digits.");
    assertThat(page.getByLabel("Prison number")).hasAttribute("aria-invalid", "true");
    checkAtBothWidths(page, "staff: register a prisoner, with errors");
    String number = AuthFixture.prisonNumber();
    String name = "Registered Mother " + tag();
    page.getByLabel("Prison number").fill(number.toLowerCase());
    page.getByLabel("Full name").fill(name);
    page.getByLabel("Kiosk PIN").fill("24681357");
    page.getByLabel("Child-contact clearance").selectOption("NONE");
    page.getByLabel("Risk to children").check();
    page.getByRole(AriaRole.BUTTON, named("Register prisoner")).click();
    assertThat(h1(page)).hasText(name + " (" + number + ")");
    assertThat(page.locator("#prisoner-clearance")).containsText("None");
    assertThat(page.locator("#prisoner-flags")).containsText("Risk to children");
    // the same number again: said in words, nothing developer-shaped
    page.getByRole(AriaRole.LINK, named("Prisoners")).first().click();
    page.getByRole(AriaRole.LINK, named("Register a prisoner")).click();
    page.getByLabel("Prison number").fill(number);
    page.getByLabel("Full name").fill(name);
    page.getByLabel("Kiosk PIN").fill("24681357");
    page.getByRole(AriaRole.BUTTON, named("Register prisoner")).click();
    assertThat(errors).isFocused();
    assertFalse(errors.innerText().matches("(?s).*(pattern|must be|HTTP|_[A-Z]).*"), errors.innerText());
  }

  @Test
  void neverWithIsChosenFromHerPeopleByName() {
    Prisoner p = prisoner("Apart Mother " + tag(), Clearance.FULL);
    JsonObject daughter = person("CHILD", "Daughter Apart " + tag());
    JsonObject father = person("PARENT", "Father Apart " + tag());
    String id = approved(p, daughter, "CHILD").getString("id");
    propose(p, father, "PARENT");
    signIn(Role.OFFICER, "/staff/", "Prisoners");
    page.navigate(browser.base + "/staff/#/contacts/" + id);
    page.getByRole(AriaRole.BUTTON, named("Change restrictions")).click();
    page.getByRole(AriaRole.BUTTON, named("Add a person")).click();
    Locator who = page.getByLabel("Person 1", new Page.GetByLabelOptions().setExact(true));
    assertThat(who).isFocused();
    who.selectOption(new com.microsoft.playwright.options.SelectOption().setLabel(father.getString("name") + " (Parent)"));
    page.getByLabel("Reason for this change").fill("Child arrangements order: never with her father");
    page.getByRole(AriaRole.BUTTON, named("Save restrictions")).click();
    assertThat(page.getByText(Pattern.compile("Restrictions saved as version \\d+\\."))).isVisible();
    JsonArray never = setup.send("GET", "/api/v1/contacts/" + id + "/policy", null, null).ok().getJsonObject("policy")
        .getJsonArray("never_with");
    assertEquals(new JsonArray().add(father.getString("id")), never);
  }

  @Test
  void aRestrictionChangeByKeyboardTakesAFewSteps() {
    Prisoner p = prisoner("Keys Mother " + tag(), Clearance.FULL);
    JsonObject carer = person("CARER", "Keys Carer " + tag());
    String id = approved(p, carer, "CARER").getString("id");
    signIn(Role.OFFICER, "/staff/", "Prisoners");
    page.navigate(browser.base + "/staff/#/contacts/" + id);
    assertThat(h1(page)).isFocused();
    int steps = tabUntil(page.getByRole(AriaRole.BUTTON, named("Change restrictions")));
    page.keyboard().press("Enter");
    steps += 1;
    Locator calls = page.getByLabel("Video calls per week", new Page.GetByLabelOptions().setExact(true)).first();
    steps += tabUntil(calls);
    page.keyboard().type("1");
    steps += 1;
    steps += tabUntil(page.getByLabel("Reason for this change"));
    page.keyboard().type("One call a week from now on");
    steps += 1;
    steps += tabUntil(page.getByRole(AriaRole.BUTTON, named("Save restrictions")));
    page.keyboard().press("Enter");
    steps += 1;
    assertThat(page.getByText(Pattern.compile("Restrictions saved as version \\d+\\."))).isVisible();
    System.out.println("KEYBOARD restriction change (lower calls per week, with a reason): " + steps
        + " key steps from the contact page's heading (Tab presses + Enter + two typed fields)");
  }

  @Test
  void theAuditLogNamesWhoActedNeverByAccountId() {
    java.time.Instant since = kinlink.clock().instant().minusSeconds(5);
    Prisoner p = prisoner("Named Mother " + tag(), Clearance.FULL);
    JsonObject carer = person("CARER", "Named Carer " + tag());
    String id = approved(p, carer, "CARER").getString("id");
    setup.send("POST", "/api/v1/contacts/" + id + "/suspend", new JsonObject().put("reason", "Names test " + tag()), null).ok();
    // actors of every other kind, appended as the gateway records them
    var audit = gateway.services().audit();
    String kiosk = fix.kiosk(true).deviceId();
    String theirs = kinlink.establishment().staff(Role.OFFICER).account().id();
    for (String[] actor : List.of(new String[] {"kiosk:" + kiosk, "ANONYMOUS"}, new String[] {"cli:ops-jo", "OPERATOR"},
        new String[] {"st-" + UUID.randomUUID(), "FAMILY_WORKER"}, new String[] {theirs, "OFFICER"})) {
      Gateway.await(audit.append(org.kinlink.gateway.audit.AuditEvent.of("device.update").actor(actor[0], actor[1])
          .establishment(fix.est).build()));
    }

    signIn(Role.SECURITY, "/security/", "Security overview");
    page.navigate(browser.base + "/security/#/audit?from=" + java.net.URLEncoder.encode(since.toString(), java.nio.charset.StandardCharsets.UTF_8));
    Locator entries = page.locator("#audit-entries");
    assertThat(entries).containsText("Test OFFICER (officer) suspended the contact between " + carer.getString("name"));
    assertThat(entries).containsText("the kiosk at Wing A");
    assertThat(entries).containsText("the command line (ops-jo)");
    assertThat(entries).containsText("a staff account no longer on record (family worker)");
    assertThat(entries).containsText("staff of another establishment (officer)");
    String lines = String.join("\n", page.locator("#audit-entries .entry-line").allInnerTexts());
    assertFalse(lines.contains("st-") || lines.contains("kiosk:") || lines.contains(kiosk), "no account ids: " + lines);
    checkAtBothWidths(page, "security: audit log with every kind of actor");

    // one person's actions: the filter names them too
    Locator suspended = page.locator("#audit-entries > li").filter(new Locator.FilterOptions().setHasText("suspended the contact between "
        + carer.getString("name")));
    suspended.getByText(Pattern.compile("^Details of entry")).click();
    suspended.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Only this person’s actions")).click();
    assertThat(page.getByText("Only actions by Test OFFICER (officer).")).isVisible();
  }

  @Test
  void anAdminResetsAStaffSignInAndItsAuthenticatorAfterConfirming() {
    AuthFixture.Staff admin = signIn(Role.ADMIN, "/staff/", "Prisoners");
    StaffApiClient asAdmin = new StaffApiClient(browser.base);
    asAdmin.signIn(admin.account().email(), admin.password(), kinlink.totp(admin.totpSecret()));
    StaffApiClient.StaffLogin target = asAdmin.createOfficer("Reset Officer");
    StaffApiClient signedIn = new StaffApiClient(browser.base);
    signedIn.signIn(target.email(), target.password(), kinlink.totp(target.totpSecret()));

    page.getByRole(AriaRole.LINK, named("Staff accounts")).click();
    assertThat(h1(page)).hasText("Staff accounts");
    Locator open = page.getByRole(AriaRole.BUTTON, named("Reset sign-in of " + target.name()));
    open.click();
    Locator dialog = page.getByRole(AriaRole.DIALOG);
    assertThat(dialog).isVisible();
    assertThat(dialog.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Reset the sign-in of " + target.name()))).isVisible();
    assertThat(dialog.getByRole(AriaRole.RADIO, new Locator.GetByRoleOptions().setName("Password and authenticator (one-time codes)"))).isChecked();
    checkAtBothWidths(page, "staff: reset sign-in (confirmation)");
    // cancelling changes nothing and goes back to the button
    dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
    assertThat(dialog).isHidden();
    assertThat(open).isFocused();
    new StaffApiClient(browser.base).signIn(target.email(), target.password(), kinlink.totp(target.totpSecret()));

    open.click();
    dialog.getByLabel("Reason (optional)").fill("Lost phone, seen in person");
    dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reset sign-in").setExact(true)).click();
    Locator shown = page.locator("#enrolment");
    assertThat(shown).isFocused();
    assertThat(shown).containsText("Sign-in reset for " + target.name());
    assertThat(page.getByRole(AriaRole.IMG, named("QR code to set up one-time codes for " + target.name()))).isVisible();
    String secret = page.locator("#totp-secret").innerText().trim();
    String password = page.locator("#new-password").innerText().trim();
    checkAtBothWidths(page, "staff: sign-in reset (new password and QR code)");

    assertEquals(401, signedIn.send("GET", "/api/v1/me", null, null).status(), "their session ended at once");
    // the old password and the old authenticator no longer work; the new ones do
    JsonObject withOld = new JsonObject().put("email", target.email()).put("password", target.password())
        .put("otp", kinlink.totp(target.totpSecret()).nextCode());
    assertEquals(401, new StaffApiClient(browser.base).send("POST", "/api/v1/auth/login", withOld, null).status());
    JsonObject oldCode = new JsonObject().put("email", target.email()).put("password", password)
        .put("otp", kinlink.totp(target.totpSecret()).nextCode());
    assertEquals(401, new StaffApiClient(browser.base).send("POST", "/api/v1/auth/login", oldCode, null).status());
    new StaffApiClient(browser.base).signIn(target.email(), password, kinlink.totp(secret));

    JsonObject entry = fix.audit("staff.reset").stream().filter(e -> admin.account().id().equals(e.getString("actor_id")))
        .reduce((a, b) -> b).orElseThrow();
    assertEquals(true, entry.getJsonObject("details").getBoolean("totp_changed"));
    assertEquals("Lost phone, seen in person", entry.getJsonObject("details").getString("reason"));
    assertFalse(entry.encode().contains(password) || entry.encode().contains(secret), "never the secrets");
  }

  /** Presses Tab until the target has focus (at most 120 times); answers how many presses it took. */
  private int tabUntil(Locator target) {
    for (int i = 0; i < 120; i++) {
      if ((Boolean) target.evaluate("el => el === document.activeElement")) {
        return i;
      }
      page.keyboard().press("Tab");
    }
    throw new AssertionError("Tab never reached " + target);
  }
}
