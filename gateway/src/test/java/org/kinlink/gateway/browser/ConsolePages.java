package org.kinlink.gateway.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A console test class's Chromium and a fresh page for each of its tests. Register it after the
 * {@code KinlinkExtension} (so the browser closes before the gateway):
 *
 * <pre>{@code
 * @RegisterExtension static final ConsolePages pages = new ConsolePages();
 * @BeforeAll static void start() { ...; browser = pages.launch(base); }
 * @BeforeEach void openPage() { page = pages.open(); }
 * }</pre>
 *
 * Without Chromium the class is skipped before anything starts. After each test, what its page
 * showed last is written to {@code target/browser/<test>.txt} for reading after a failure, and the
 * page's context is closed.
 */
final class ConsolePages implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private Path chromium;
  private ConsoleBrowser browser;
  private Page page;

  @Override
  public void beforeAll(ExtensionContext context) {
    chromium = ConsoleBrowser.chromium();
    assumeTrue(chromium != null, "no Chromium: set KINLINK_CHROMIUM or install Debian's chromium at /usr/bin/chromium");
  }

  /** Launches Chromium for consoles at {@code base} (call once, from {@code @BeforeAll}). */
  ConsoleBrowser launch(String base) {
    browser = ConsoleBrowser.launch(chromium, base);
    return browser;
  }

  /** This test's page, 1280 px wide, in a context of its own. */
  Page open() {
    page = browser.page(1280);
    return page;
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (page == null) {
      return;
    }
    try {
      String test = context.getTestMethod().map(Method::getName).orElse("test");
      Path out = Path.of("target", "browser", test + ".txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, page.url() + "\n" + page.locator("body").innerText());
    } finally {
      page.context().close();
      page = null;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }
}
