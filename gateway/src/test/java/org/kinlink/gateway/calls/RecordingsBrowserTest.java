package org.kinlink.gateway.calls;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.support.Axe;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestBrowser;

/**
 * Security plays back, on the real Recordings page, a recording the test uploaded as the kiosk
 * would (a real WebM made by Chromium's MediaRecorder): a reason first, the video fetched with the
 * bearer token into a blob URL, the playback audited; axe-core on the page at 1280 and 390 px.
 */
class RecordingsBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static TestBrowser chromium;

  @BeforeAll
  static void start() throws Exception {
    chromium = TestBrowser.start();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  /** A second and a half of a changing canvas recorded by MediaRecorder in half-second slices, as the kiosk records. */
  @SuppressWarnings("unchecked")
  private static List<byte[]> webm(Page page) {
    List<String> parts = (List<String>) page.evaluate("""
        async () => {
          const c = document.createElement('canvas'); c.width = 160; c.height = 120; document.body.append(c);
          const g = c.getContext('2d'); let n = 0;
          const paint = setInterval(() => { g.fillStyle = n++ % 2 ? '#c00' : '#00c'; g.fillRect(0, 0, 160, 120); }, 40);
          const rec = new MediaRecorder(c.captureStream(25), { mimeType: 'video/webm' });
          const parts = []; rec.ondataavailable = (e) => { if (e.data.size) parts.push(e.data); };
          const stopped = new Promise((r) => { rec.onstop = r; });
          rec.start(500);
          await new Promise((r) => setTimeout(r, 1500));
          rec.stop(); await stopped; clearInterval(paint); c.remove();
          return Promise.all(parts.map((b) => new Promise((res) => {
            const fr = new FileReader(); fr.onload = () => res(fr.result.split(',')[1]); fr.readAsDataURL(b); })));
        }
        """);
    return parts.stream().map(p -> Base64.getDecoder().decode(p)).toList();
  }

  @Test
  void securityGivesAReasonAndPlaysBackTheRecordingTheKioskUploaded() {
    Gateway gateway = kinlink.gateway();
    CallsFixture f = new CallsFixture(gateway, kinlink.client(), kinlink.clock());
    BrowserContext context = chromium.browser().newContext(new Browser.NewContextOptions().setLocale("en-GB")
        .setTimezoneId("Europe/London").setViewportSize(1280, 900));
    Page page = context.newPage();
    page.setDefaultTimeout(20_000);
    page.onPageError(e -> System.out.println("[browser] error: " + e));
    page.navigate(gateway.baseUrl() + "/index.html");
    List<byte[]> chunks = webm(page);
    assertFalse(chunks.isEmpty());

    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    String id = f.recorded(kinlink.vertx(), mother, carer, contact, Duration.ofMinutes(5), chunks);

    AuthFixture.Staff security = f.m.auth.staff(Role.SECURITY);
    page.navigate(gateway.baseUrl() + "/security/");
    page.getByLabel("Email address").fill(security.account().email());
    page.getByLabel("Password").fill(security.password());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.getByLabel("One-time code").fill(kinlink.totp(security.totpSecret()).nextCode());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Security overview");

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Recordings")).click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Call recordings");
    var row = page.locator("#recordings-table tr[data-recording]");
    assertThat(row).hasCount(1);
    assertThat(row).containsText(mother.name());
    assertThat(row).containsText(carer.name());
    assertFalse(row.innerText().contains(carer.id()), "names, not ids");
    Axe.assertNoViolations(page, "recordings");
    page.setViewportSize(390, 844);
    Axe.assertNoViolations(page, "recordings at 390 px");
    page.setViewportSize(1280, 900);

    row.getByRole(AriaRole.BUTTON).click();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play the recording").setExact(true)).click();
    assertThat(page.locator(".error-summary")).containsText("Say why before you play or hold the recording.");
    assertEquals(0, page.locator("video").count(), "nothing plays without a reason");
    page.getByLabel("Why are you playing or holding it?").fill("Complaint 42 review");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play the recording").setExact(true)).click();
    try {
      page.waitForFunction("() => { const v = document.getElementById('recording-video'); return v && v.readyState >= 1 && v.videoWidth > 0; }");
    } catch (RuntimeException e) {
      throw new AssertionError("the recording did not load: " + page.evaluate("() => { const v = document.getElementById('recording-video');"
          + " return JSON.stringify({player: document.getElementById('recording-player').innerText, video: !!v,"
          + " state: v && v.readyState, error: v && v.error && (v.error.code + ' ' + v.error.message)}); }"), e);
    }
    assertEquals(160, ((Number) page.evaluate("() => document.getElementById('recording-video').videoWidth")).intValue(),
        "the video the kiosk recorded");
    String src = (String) page.evaluate("() => document.getElementById('recording-video').src");
    assertTrue(src.startsWith("blob:"), src);
    assertTrue((Boolean) page.evaluate("() => document.getElementById('recording-video').controls"));
    assertEquals("Complaint 42 review", f.audit("call.recording.play").get(0).getJsonObject("details").getString("reason"));
    assertEquals(id, f.audit("call.recording.play").get(0).getJsonObject("details").getString("call_id"));
    Axe.assertNoViolations(page, "recording playing");
    page.setViewportSize(390, 844);
    Axe.assertNoViolations(page, "recording playing at 390 px");
    context.close();
  }

}
