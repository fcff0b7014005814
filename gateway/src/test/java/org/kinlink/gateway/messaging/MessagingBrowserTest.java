package org.kinlink.gateway.messaging;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.support.Axe;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.support.KinlinkExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kiosk (/kiosk/) and the family portal (/portal/) in Debian's Chromium: a mother writes on
 * the kiosk and her son's carer sees it live in the portal; a message naming the school is held,
 * security releases it through the API, and the mother sees it delivered; the same in Welsh; and
 * axe-core finds nothing against WCAG 2.2 AA on each screen at 1280 and 390 px.
 */
class MessagingBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static Gateway gateway;
  private static Playwright playwright;
  private static Browser browser;
  private static String base;

  private MessagingFixture f;
  private BrowserContext kioskContext;
  private BrowserContext portalContext;

  @BeforeAll
  static void start() {
    String configured = System.getenv("KINLINK_CHROMIUM");
    Path chromium = Path.of(configured != null ? configured : "/usr/bin/chromium");
    assumeTrue(configured != null || Files.isExecutable(chromium),
        "no Chromium: set KINLINK_CHROMIUM or install Debian's chromium at /usr/bin/chromium");
    gateway = kinlink.gateway();
    base = "http://127.0.0.1:" + gateway.port();
    playwright = org.kinlink.gateway.support.TestBrowser.playwright();
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  @BeforeEach
  void fixture() {
    gateway.services().messaging().randomHolds().setShare(0);
    f = new MessagingFixture(gateway, kinlink.client());
    kioskContext = browser.newContext(new Browser.NewContextOptions().setLocale("en-GB").setTimezoneId("Europe/London")
        .setViewportSize(1280, 900));
    portalContext = browser.newContext(new Browser.NewContextOptions().setLocale("en-GB").setTimezoneId("Europe/London")
        .setViewportSize(1280, 900));
  }

  @AfterEach
  void close() {
    kioskContext.close();
    portalContext.close();
  }

  private record Story(MessagingFixture.KioskAccount mother, PersonOutside carer, MessagingFixture.SignedIn school,
      String schoolContact) {}

  private Story story() {
    MessagingFixture.KioskAccount mother = f.kioskAccount();
    PersonOutside carer = f.personAccount(PersonKind.CARER);
    f.contact(mother.id(), carer.id(), "CARER", null);
    MessagingFixture.SignedIn school = f.person(PersonKind.SCHOOL);
    String schoolContact = f.contact(mother.id(), school.id(), "SCHOOL", MessagingFixture.sensitive("Oakfield Primary"));
    return new Story(mother, carer, school, schoolContact);
  }

  private Page kiosk(Story s, boolean welsh) {
    Page page = kioskContext.newPage();
    page.setDefaultTimeout(15_000);
    // staff enrol this browser as a kiosk of the mother's establishment (the device proof signs her sign-in)
    String id = "kiosk-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    var code = Gateway.await(gateway.services().devices().create(
        action -> org.kinlink.gateway.audit.AuditEvent.of(action).actor("browser-test", "ADMIN"),
        new org.kinlink.gateway.people.KioskDevice(id, f.auth.est, "Test wing, cell 2", true)));
    page.navigate(base + "/kiosk/setup.html");
    page.getByLabel("Device id").fill(id);
    page.getByLabel("Enrolment code").fill(code.code());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set up this kiosk")).click();
    assertThat(page.getByText("Done. This kiosk is now set up as " + id + ".").first()).isVisible();
    page.navigate(base + "/kiosk/");
    if (welsh) {
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cymraeg")).click();
      assertThat(page.locator("html")).hasAttribute("lang", "cy");
    }
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
        .hasText(welsh ? "Mewngofnodi" : "Sign in");
    page.getByLabel(welsh ? "Rhif carchar" : "Prison number").fill(s.mother().prisonNumber());
    page.getByLabel("PIN").fill(s.mother().pin());
    page.locator("form.signin button[type=submit]").click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
        .hasText(welsh ? "Eich negeseuon" : "Your messages");
    return page;
  }

  private Page portal(PersonOutside person) {
    Page page = portalContext.newPage();
    page.setDefaultTimeout(15_000);
    page.navigate(base + "/portal/");
    page.getByLabel("Email address").fill(person.email());
    page.getByLabel("Password").fill(AuthFixture.PASSWORD);
    page.locator("form.signin button[type=submit]").click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Your messages");
    return page;
  }

  private static void open(Page page, String name) {
    page.locator("button.conversation", new Page.LocatorOptions().setHasText(name)).click();
    assertThat(page.locator("#messages")).isVisible();
  }

  private static void write(Page page, String label, String send, String text) {
    page.getByLabel(label).fill(text);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(send).setExact(true)).click();
  }

  private static Locator message(Page page, String text) {
    return page.locator("#messages li.message", new Page.LocatorOptions().setHasText(text));
  }

  @Test
  void theMotherWritesOnTheKioskTheCarerSeesItLiveAndAHeldMessageIsDeliveredOnceReleased() {
    Story s = story();
    Page carer = portal(s.carer());
    Axe.assertNoViolations(carer, "portal: conversations");
    open(carer, "Test Prisoner");
    Page kiosk = kiosk(s, false);
    Axe.assertNoViolations(kiosk, "kiosk: conversations");
    open(kiosk, "Test CARER");
    assertEquals("Messages with Test CARER – Kinlink kiosk", kiosk.title());

    write(kiosk, "Your message", "Send", "Hello from the kiosk");
    assertThat(message(carer, "Hello from the kiosk")).isVisible();
    // the carer's open page has it and read it: the mother sees that, live
    assertThat(message(kiosk, "Hello from the kiosk").locator(".message-status")).hasText(Pattern.compile("Read$"));
    Axe.assertNoViolations(kiosk, "kiosk: thread");
    Axe.assertNoViolations(carer, "portal: thread");
    write(carer, "Your message", "Send", "Lovely to hear from you");
    assertThat(message(kiosk, "Lovely to hear from you")).isVisible();

    kiosk.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Back to your messages")).click();
    open(kiosk, "Test SCHOOL");
    write(kiosk, "Your message", "Send", "Is she happy at Oakfield Primary?");
    Locator held = message(kiosk, "Oakfield Primary").locator(".message-status");
    assertThat(held).hasText(Pattern.compile("Being checked$"));

    String security = f.security();
    JsonArray queue = f.reviews(security).getJsonArray("items");
    assertEquals(1, queue.size());
    assertEquals(200, f.decide(security, queue.getJsonObject(0).getString("id"), "RELEASE", "Known to the mother").statusCode());
    assertThat(held).hasText(Pattern.compile("Sent$"));
    // the school lead's client fetches it: delivered
    assertEquals("Is she happy at Oakfield Primary?", f.items(s.school(), s.schoolContact()).get(0).getString("body"));
    assertThat(held).hasText(Pattern.compile("Delivered$"));

    kiosk.setViewportSize(390, 844);
    Axe.assertNoViolations(kiosk, "kiosk: thread at 390 px");
    carer.setViewportSize(390, 844);
    Axe.assertNoViolations(carer, "portal: thread at 390 px");
  }

  @Test
  void theSameInWelshChosenOnceAndRemembered() {
    Story s = story();
    Page kiosk = kiosk(s, true);
    assertEquals("Eich negeseuon – Ciosg Kinlink", kiosk.title());
    Axe.assertNoViolations(kiosk, "kiosk (cy): conversations");
    open(kiosk, "Test SCHOOL");
    write(kiosk, "Eich neges", "Anfon", "Mae hi yn Oakfield Primary");
    Locator held = message(kiosk, "Oakfield Primary").locator(".message-status");
    assertThat(held).hasText(Pattern.compile("Yn cael ei gwirio$"));
    Axe.assertNoViolations(kiosk, "kiosk (cy): thread");
    String security = f.security();
    String id = f.reviews(security).getJsonArray("items").getJsonObject(0).getString("id");
    assertEquals(200, f.decide(security, id, "RELEASE", "ok").statusCode());
    f.items(s.school(), s.schoolContact());
    assertThat(held).hasText(Pattern.compile("Wedi cyrraedd$"));

    // a refusal says why in Welsh too (the policy's user-safe code, never a staff reason)
    PersonOutside aunt = f.personAccount(PersonKind.CARER);
    String limited = f.contact(s.mother().id(), aunt.id(), "CARER", new io.vertx.core.json.JsonObject()
        .put("limits", new io.vertx.core.json.JsonObject().put("messages_per_day", 1)));
    kiosk.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yn ôl i’ch negeseuon")).click();
    kiosk.locator("button.conversation[data-contact='" + limited + "']").click();
    assertThat(kiosk.locator("#remaining")).hasText("Gallwch anfon 1 arall heddiw.");
    write(kiosk, "Eich neges", "Anfon", "Helo");
    assertThat(kiosk.locator("#remaining")).hasText("Allwch chi ddim anfon rhagor o negeseuon heddiw.");
    write(kiosk, "Eich neges", "Anfon", "Helo eto");
    assertThat(kiosk.locator("#send-error")).hasText(
        "Heb ei hanfon: Rydych chi wedi anfon yr holl negeseuon y gallwch eu hanfon at y person hwn heddiw.");
    Axe.assertNoViolations(kiosk, "kiosk (cy): refused");

    kiosk.reload();
    assertThat(kiosk.locator("html")).hasAttribute("lang", "cy");
    assertThat(kiosk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Eich negeseuon");
    kiosk.setViewportSize(390, 844);
    Axe.assertNoViolations(kiosk, "kiosk (cy) at 390 px");
  }

  @Test
  void aSchoolLeadSignsInWithAOneTimeCodeAndWritesToTheMother() {
    String secret = org.kinlink.gateway.crypto.Totp.newSecret();
    PersonOutside lead = f.professionalAccount(PersonKind.SCHOOL, secret);
    MessagingFixture.SignedIn mother = f.mother();
    String contact = f.contact(mother.id(), lead.id(), "SCHOOL", null);
    Page page = portalContext.newPage();
    page.setDefaultTimeout(15_000);
    page.navigate(base + "/portal/");
    page.getByLabel("Email address").fill(lead.email());
    page.getByLabel("Password").fill(AuthFixture.PASSWORD);
    page.locator("form.signin button[type=submit]").click();
    assertThat(page.locator(".error-summary")).hasText("Type the one-time code from your authenticator app.");
    Axe.assertNoViolations(page, "portal: one-time code");
    page.getByLabel("One-time code").fill(f.auth.code(secret));
    page.locator("form.signin button[type=submit]").click();
    open(page, "Test Prisoner");
    write(page, "Your message", "Send", "Jade read her book to the class today");
    assertThat(message(page, "Jade read her book").locator(".message-status")).hasText(Pattern.compile("Sent$"));
    assertEquals("Jade read her book to the class today", f.items(mother, contact).get(0).getString("body"));
    assertThat(message(page, "Jade read her book").locator(".message-status")).hasText(Pattern.compile("Delivered$"));
  }

  @Test
  void theCarerSendsAPhotoFromThePortalAndTheKioskShowsItAsAThumbnailThatOpensFullSize() {
    MessagingFixture.KioskAccount mother = f.kioskAccount();
    PersonOutside carer = f.personAccount(PersonKind.CARER);
    f.contact(mother.id(), carer.id(), "CARER", photos(false));
    List<String> photoUrls = new java.util.concurrent.CopyOnWriteArrayList<>();
    Page portal = portal(carer);
    portal.onRequest(r -> {
      if (r.url().contains("/photos")) {
        photoUrls.add(r.url());
      }
    });
    open(portal, "Test Prisoner");
    Axe.assertNoViolations(portal, "portal: thread with the photo form");

    // what cannot be sent says so in words, next to the form
    choose(portal, "notes.txt", "text/plain", "shopping list".getBytes(StandardCharsets.UTF_8));
    assertThat(portal.locator("#photo-error")).hasText(
        "Photo not sent: This file is not a photo we can send. Choose a JPEG or PNG picture.");
    choose(portal, "drawing.jpg", "image/jpeg", "not a picture at all".getBytes(StandardCharsets.UTF_8));
    assertThat(portal.locator("#photo-error")).hasText(
        "Photo not sent: This file is not a photo we can send. Choose a JPEG or PNG picture.");
    choose(portal, "huge.png", "image/png", new byte[9 * 1024 * 1024]);
    assertThat(portal.locator("#photo-error")).hasText(
        "Photo not sent: This photo is too big. A photo can be at most 8 MB and 40 million pixels.");
    Axe.assertNoViolations(portal, "portal: photo refused");

    choose(portal, "drawing.png", "image/png", png(640, 480));
    Locator mine = portal.locator("#messages li.message.mine .photo-thumb img");
    assertThat(mine).isVisible();
    assertThat(mine).hasAttribute("alt", "Your photo");
    assertThat(portal.locator("#photo-error")).hasCount(0);

    Page kiosk = kiosk(new Story(mother, carer, null, null), false);
    open(kiosk, "Test CARER");
    Locator thumb = kiosk.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Photo from Test CARER: open it full size"));
    assertThat(thumb.locator("img")).isVisible();
    assertThat(thumb.locator("img")).hasAttribute("alt", "Photo from Test CARER");
    assertThat(thumb.locator("img")).hasAttribute("src", Pattern.compile("^blob:"));
    assertEquals(320, ((Number) thumb.locator("img").evaluate("i => i.naturalWidth")).intValue(), "the thumbnail, not the photo");
    assertTrue(thumb.boundingBox().height >= 44 && thumb.boundingBox().width >= 44, "a large touch target");
    assertThat(portal.locator("#messages li.message.mine .message-status")).hasText(Pattern.compile("Seen$"));
    Axe.assertNoViolations(kiosk, "kiosk: thread with a photo");

    thumb.focus();
    kiosk.keyboard().press("Enter");
    Locator dialog = kiosk.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Photo from Test CARER"));
    assertThat(dialog.locator("img.photo-full")).isVisible();
    assertEquals(640, ((Number) dialog.locator("img.photo-full").evaluate("i => i.naturalWidth")).intValue());
    Axe.assertNoViolations(kiosk, "kiosk: the photo full size");
    kiosk.keyboard().press("Escape");
    assertThat(kiosk.locator("dialog.photo-view")).hasCount(0);
    assertThat(thumb).isFocused();
    kiosk.setViewportSize(390, 844);
    Axe.assertNoViolations(kiosk, "kiosk: thread with a photo at 390 px");
    thumb.click();
    assertThat(dialog.locator("img.photo-full")).isVisible();
    Axe.assertNoViolations(kiosk, "kiosk: the photo full size at 390 px");
    dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close the photo")).click();
    assertThat(kiosk.locator("dialog.photo-view")).hasCount(0);

    portal.setViewportSize(390, 844);
    Axe.assertNoViolations(portal, "portal: thread with a photo at 390 px");
    assertTrue(photoUrls.size() >= 2, photoUrls.toString());
    for (String url : photoUrls) {
      assertFalse(url.toLowerCase(java.util.Locale.ROOT).contains("token"), "no token in a photo URL: " + url);
    }
  }

  @Test
  void inWelshAHeldPhotoIsBeingCheckedARefusalSaysWhyAndTheKioskShowsItOnceReleased() {
    MessagingFixture.KioskAccount mother = f.kioskAccount();
    PersonOutside carer = f.personAccount(PersonKind.CARER);
    f.contact(mother.id(), carer.id(), "CARER", photos(true));
    Page portal = portal(carer);
    portal.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cymraeg")).click();
    assertThat(portal.locator("html")).hasAttribute("lang", "cy");
    open(portal, "Test Prisoner");
    choose(portal, "llun.png", "image/png", png(400, 300), "Anfon y llun");
    assertThat(portal.locator("#messages li.message.mine .message-status")).hasText(Pattern.compile("Yn cael ei wirio$"));
    assertThat(portal.locator("#messages li.message.mine .photo-thumb img")).hasAttribute("alt", "Eich llun");
    Axe.assertNoViolations(portal, "portal (cy): a held photo");
    portal.setViewportSize(390, 844);
    Axe.assertNoViolations(portal, "portal (cy): a held photo at 390 px");
    portal.setViewportSize(1280, 900);

    // a contact with no photo channel: the policy's refusal, in Welsh (the API's stable reason code)
    MessagingFixture.SignedIn other = f.mother();
    String noPhotos = f.contact(other.id(), carer.id(), "CARER", null);
    portal.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yn ôl i’ch negeseuon")).click();
    portal.locator("button.conversation[data-contact='" + noPhotos + "']").click();
    choose(portal, "llun.png", "image/png", png(400, 300), "Anfon y llun");
    assertThat(portal.locator("#photo-error")).hasText(
        "Heb anfon y llun: Dydy’r math hwn o gyswllt ddim ar gael gyda’r person hwn.");
    Axe.assertNoViolations(portal, "portal (cy): photo refused");

    String security = f.security();
    JsonArray queue = f.reviews(security).getJsonArray("items");
    assertEquals(1, queue.size());
    assertEquals(200, f.decide(security, queue.getJsonObject(0).getString("id"), "RELEASE", "A drawing").statusCode());

    Page kiosk = kiosk(new Story(mother, carer, null, null), true);
    open(kiosk, "Test CARER");
    Locator thumb = kiosk.getByRole(AriaRole.BUTTON,
        new Page.GetByRoleOptions().setName("Llun gan Test CARER: ei agor yn ei faint llawn"));
    assertThat(thumb.locator("img")).hasAttribute("alt", "Llun gan Test CARER");
    Axe.assertNoViolations(kiosk, "kiosk (cy): thread with a photo");
    thumb.click();
    Locator dialog = kiosk.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Llun gan Test CARER"));
    assertThat(dialog.locator("img.photo-full")).isVisible();
    Axe.assertNoViolations(kiosk, "kiosk (cy): the photo full size");
    dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cau’r llun")).click();
    kiosk.setViewportSize(390, 844);
    Axe.assertNoViolations(kiosk, "kiosk (cy): thread with a photo at 390 px");
  }

  private static void choose(Page page, String name, String type, byte[] bytes) {
    choose(page, name, type, bytes, "Send photo");
  }

  private static void choose(Page page, String name, String type, byte[] bytes, String send) {
    page.locator("#photo-file").setInputFiles(new com.microsoft.playwright.options.FilePayload(name, type, bytes));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(send).setExact(true)).click();
  }

  private static io.vertx.core.json.JsonObject photos(boolean reviewed) {
    return new io.vertx.core.json.JsonObject().put("channels", new JsonArray(List.of("MESSAGE", "VIDEO", "PHOTO")))
        .put("content", new io.vertx.core.json.JsonObject().put("review_photos", reviewed));
  }

  /** A child's drawing: a sun on a blue sky. */
  private static byte[] png(int w, int h) {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(new java.awt.Color(120, 180, 240));
    g.fillRect(0, 0, w, h);
    g.setColor(java.awt.Color.YELLOW);
    g.fillOval(w / 3, h / 4, w / 3, w / 3);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void everyWelshTextIsThere() {
    Page page = kioskContext.newPage();
    page.navigate(base + "/kiosk/");
    Object missing = page.evaluate("async () => { const m = await import('/assets/js/i18n.js');"
        + " return Object.entries(m.table()).filter(([k, v]) => !v.cy || !v.en).map(([k]) => k); }");
    assertEquals(List.of(), missing);
  }


}
