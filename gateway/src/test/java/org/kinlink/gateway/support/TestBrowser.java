package org.kinlink.gateway.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.devices.DeviceEnrolment;
import org.kinlink.gateway.people.KioskDevice;

/**
 * Debian's Chromium driven by Playwright, for browser tests: {@code KINLINK_CHROMIUM} or
 * {@code /usr/bin/chromium}, headless, never a downloaded browser. Without either the test is
 * skipped; CI sets {@code KINLINK_CHROMIUM}, so there a missing browser is a failure, not a skip.
 */
public final class TestBrowser implements AutoCloseable {
  private final Playwright playwright;
  private final Browser browser;

  private TestBrowser(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Starts Chromium (call from {@code @BeforeAll}); skips the test class when there is none. */
  public static TestBrowser start() {
    Path chromium = chromium();
    assumeTrue(chromium != null, "no Chromium: set KINLINK_CHROMIUM or install Debian's chromium at /usr/bin/chromium");
    Playwright playwright = playwright();
    return new TestBrowser(playwright, launch(playwright, chromium));
  }

  /** The Chromium this machine has ({@code KINLINK_CHROMIUM} or {@code /usr/bin/chromium}), or null when there is none. */
  public static Path chromium() {
    String configured = System.getenv("KINLINK_CHROMIUM");
    Path path = Paths.get(configured != null ? configured : "/usr/bin/chromium");
    // CI sets KINLINK_CHROMIUM, so CI never skips; a missing browser it names is a failure, not a skip
    return configured != null || Files.isExecutable(path) ? path : null;
  }

  /**
   * What an assertion on the page waits for at most before it fails, as long as the pages' own
   * action timeouts: Playwright's default 5 s was sometimes too short for a page on a loaded machine
   * to show a list it had fetched. A passing assertion returns as soon as the page shows it.
   */
  static final double ASSERTION_TIMEOUT_MS = 15_000;

  /** Playwright that never downloads a browser of its own. */
  public static Playwright playwright() {
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(ASSERTION_TIMEOUT_MS);
    return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  /** {@code chromium} headless, without the background traffic and sandbox a test machine does not want. */
  public static Browser launch(Playwright playwright, Path chromium) {
    return playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(chromium)
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic")));
  }

  public Browser browser() {
    return browser;
  }

  /**
   * Makes the page's browser an enrolled kiosk of {@code establishment}, as staff would with the
   * set-up page: a new device and its one-time code from the gateway, then kiosk-device.js's
   * {@code enrolDevice} in the page (which must be open on the gateway's origin). Answers the device id.
   */
  public static String enrolKiosk(Page page, Gateway gateway, String establishment) {
    String id = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
    DeviceEnrolment.IssuedCode code = Gateway.await(gateway.services().devices().create(
        action -> AuditEvent.of(action).actor("test", "ADMIN"), new KioskDevice(id, establishment, "Test wing", true)));
    page.evaluate("async ([id, code]) => (await import('/assets/js/kiosk-device.js')).enrolDevice(id, code)",
        List.of(id, code.code()));
    return id;
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
