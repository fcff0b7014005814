package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.support.Axe;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Real WebRTC in headless Chromium (fake camera and microphone): the mother, the school lead and the
 * child on her real {@code /join/{token}} page. Media between mother and child connects only once the
 * lead is in; a staff terminate ends the call on every screen. axe-core on the new pages.
 */
class CallsBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void chromium() throws Exception {
    String configured = System.getenv("KINLINK_CHROMIUM");
    Path chromium = Path.of(configured != null ? configured : "/usr/bin/chromium");
    assumeTrue(configured != null || Files.isExecutable(chromium), "no Chromium");
    playwright = org.kinlink.gateway.support.TestBrowser.playwright();
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream", "--disable-features=WebRtcHideLocalIpsWithMdns")));
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
      playwright.close();
    }
  }

  private static Page page(String url) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setPermissions(List.of("camera", "microphone")));
    Page p = context.newPage();
    p.setDefaultTimeout(20_000);
    p.onConsoleMessage(m -> System.out.println("[browser] " + m.type() + ": " + m.text()));
    p.onPageError(e -> System.out.println("[browser] error: " + e));
    p.navigate(url);
    return p;
  }

  /** Starts the shared call module in a page of the gateway's origin, as the kiosk and portal do. */
  private static void startCall(Page page, JsonObject answer, String token) {
    page.evaluate("async ([join, token]) => { const m = await import('/assets/js/call/call.js');"
        + " const root = document.createElement('div'); root.id = 'call-root'; document.body.append(root);"
        + " m.startCall({root, join: JSON.parse(join), socketToken: token}); }",
        List.of(answer.getJsonObject("join").encode(), token));
  }

  private static boolean connected(Page page, String peerId) {
    Object v = page.evaluate("id => (document.querySelector('[data-connected]')?.dataset.connected || '').includes(id)", peerId);
    return Boolean.TRUE.equals(v);
  }

  @Test
  void motherAndChildConnectOnlyOnceTheLeadIsInAndATerminateEndsItForEveryone() {
    Gateway gateway = kinlink.gateway();
    CallsFixture f = new CallsFixture(gateway, kinlink.client(), kinlink.clock());
    var s = f.school();
    String id = f.booked(s.lead().token(), s.childContact(), f.in(Duration.ofMinutes(5)), 30).getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    String link = f.link(s.lead().token(), id);

    Page child = page(gateway.baseUrl() + "/join/" + link);
    Axe.assertNoViolations(child, "join page");
    child.setViewportSize(390, 800);
    Axe.assertNoViolations(child, "join page at 390 px");
    child.setViewportSize(1280, 800);
    child.click("#lang");
    assertEquals("Ymuno â’r alwad", child.textContent("#join"));
    child.click("#lang");
    child.click("#join");
    child.waitForSelector("#call-leave");
    Axe.assertNoViolations(child, "join page in the call");

    Page mother = page(gateway.baseUrl() + "/index.html");
    startCall(mother, f.joined(s.mother().token(), id), s.mother().token());
    mother.waitForSelector("#call-who li[data-peer='" + s.child() + "']");
    // supervised: nothing passes between mother and child while the lead is not in
    mother.waitForTimeout(1500);
    assertFalse(connected(mother, s.child()), "mother and child connected before the supervisor was in");
    assertFalse(connected(child, s.mother().id()));
    assertEquals("Waiting for " + s.lead().name() + "…", mother.textContent("#call-status"), "the mother's screen says whom it waits for");

    Page lead = page(gateway.baseUrl() + "/index.html");
    startCall(lead, f.joined(s.lead().token(), id), s.lead().token());
    mother.waitForFunction("id => (document.querySelector('[data-connected]')?.dataset.connected || '').includes(id)", s.child());
    child.waitForFunction("id => (document.querySelector('[data-connected]')?.dataset.connected || '').includes(id)", s.mother().id());
    child.waitForFunction("id => { const v = document.getElementById('video-' + id); return v && v.videoWidth > 0; }", s.mother().id());

    var security = f.m.security();
    assertEquals(200, f.post(security, "/api/v1/calls/" + id + "/terminate",
        new JsonObject().put("reason", "Staff decision in test")).statusCode());
    for (Page p : List.of(child, mother, lead)) {
      p.waitForSelector("#call-over");
      assertEquals("The call was ended by staff.", p.textContent("#call-over"));
      assertEquals(0, ((Number) p.evaluate("() => document.querySelectorAll('video').length")).intValue(), "media stopped");
    }
    Axe.assertNoViolations(child, "join page after the call");

    Page console = page(gateway.baseUrl() + "/security/calls.html");
    console.waitForSelector("#live-notice:not(:empty)");
    Axe.assertNoViolations(console, "security live calls");
  }

  /**
   * The kiosk's own recorder (call.js's MediaRecorder, the upload api.js makes): each slice goes up
   * as it is, an octet-stream body with its seq in the query, and security plays back a WebM.
   */
  @Test
  void theKiosksRecorderUploadsEachSliceAsItIsAndSecurityPlaysItBack() {
    Gateway gateway = kinlink.gateway();
    CallsFixture f = new CallsFixture(gateway, kinlink.client(), kinlink.clock());
    var mother = f.m.mother();
    var carer = f.m.person(org.kinlink.gateway.people.PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    String id = f.booked(mother.token(), contact, f.in(Duration.ofMinutes(5)), 30).getString("id");
    f.at(f.in(Duration.ofMinutes(5)));
    JsonObject answer = f.joined(mother.token(), id);
    assertTrue(answer.getJsonObject("join").getBoolean("record"), answer.encode());

    Page kiosk = page(gateway.baseUrl() + "/index.html");
    java.util.Queue<String> uploads = new java.util.concurrent.ConcurrentLinkedQueue<>();
    kiosk.onRequest(r -> {
      if (r.url().contains("/recording/chunks")) {
        uploads.add(r.headers().get("content-type") + " " + r.url().replaceAll(".*\\?", "?"));
      }
    });
    kiosk.evaluate("async ([join, token, id]) => { const m = await import('/assets/js/call/call.js');"
        + " const api = await import('/assets/js/api.js'); api.useTokens({ access_token: token });"
        + " const root = document.createElement('div'); document.body.append(root);"
        + " m.startCall({ root, join: JSON.parse(join), socketToken: token, uploadChunk: (seq, slice, mime) =>"
        + "   api.authedUpload(`/calls/${id}/recording/chunks?seq=${seq}&mime=${encodeURIComponent(mime)}`, slice) }); }",
        List.of(answer.getJsonObject("join").encode(), mother.token(), id));
    String rec = Recordings.recordingId(id, mother.id());
    org.kinlink.gateway.support.Eventually.await("three one-second slices stored", Duration.ofSeconds(20), () ->
        Long.parseLong(Gateway.await(gateway.services().redis().<Map<String, String>>call(r -> r.hgetall(
            org.kinlink.gateway.redis.Keys.recordingCounts(rec)))).getOrDefault("chunks", "0")) >= 3);
    assertEquals(200, f.post(f.m.security(), "/api/v1/calls/" + id + "/terminate", new JsonObject().put("reason", "test")).statusCode());
    kiosk.waitForSelector("#call-over");

    List<String> sent = List.copyOf(uploads);
    assertTrue(sent.size() >= 3, sent.toString());
    for (int i = 0; i < 3; i++) {
      assertTrue(sent.get(i).startsWith("application/octet-stream ?seq=" + i + "&mime=video%2Fwebm"), sent.toString());
    }
    var played = org.kinlink.gateway.auth.AuthFixture.get(f.client, "/api/v1/recordings/" + rec + "?reason=review", f.m.security());
    assertEquals(200, played.statusCode(), played.bodyAsString());
    byte[] webm = played.bodyAsBuffer().getBytes();
    assertEquals(0x1A45DFA3, java.nio.ByteBuffer.wrap(webm, 0, 4).getInt(), "a WebM (EBML) file from its first byte");
    kiosk.context().close();
  }
}
