package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.kinlink.gateway.support.TestBrowser;
import org.kinlink.gateway.support.TestTotp;

/**
 * Debian's Chromium through Playwright for the console tests: a context per test (en-GB, London),
 * signing in at either console, axe-core (WCAG 2.2 AA tags) at a width, and the check that a page
 * needs no sideways scrolling. axe-core's script comes from the axe-core Playwright artifact and is
 * put into every page before its own scripts run (so the pages' Content-Security-Policy stays on).
 */
final class ConsoleBrowser implements AutoCloseable {
  static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
  private static final String AXE = axeSource();

  final Playwright playwright;
  final Browser browser;
  final String base;

  private ConsoleBrowser(Playwright playwright, Browser browser, String base) {
    this.playwright = playwright;
    this.browser = browser;
    this.base = base;
  }

  /** The Chromium this machine has (KINLINK_CHROMIUM or /usr/bin/chromium), or null when there is none. */
  static Path chromium() {
    return TestBrowser.chromium();
  }

  static ConsoleBrowser launch(Path chromium, String base) {
    Playwright playwright = TestBrowser.playwright();
    return new ConsoleBrowser(playwright, TestBrowser.launch(playwright, chromium), base);
  }

  private static String axeSource() {
    try (InputStream in = ConsoleBrowser.class.getClassLoader().getResourceAsStream("axe.min.js")) {
      if (in == null) {
        throw new IllegalStateException("axe.min.js is not on the test class path (com.deque.html.axe-core:playwright)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh context and page at this width, with axe-core loaded into every document. */
  Page page(int width) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setLocale("en-GB").setTimezoneId("Europe/London").setViewportSize(width, 900).setAcceptDownloads(true));
    context.addInitScript(AXE);
    Page page = context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  static Page.GetByRoleOptions named(String name) {
    return new Page.GetByRoleOptions().setName(name).setExact(true);
  }

  static Page.GetByRoleOptions named(Pattern name) {
    return new Page.GetByRoleOptions().setName(name);
  }

  static Locator h1(Page page) {
    return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1));
  }

  /** Signs in at a console ("/staff/" or "/security/") and waits for the first page's heading. */
  void signIn(Page page, String console, String email, String password, TestTotp totp, String firstHeading) {
    signInAt(page, base + console, email, password, totp, firstHeading);
  }

  /** Signs in on the console page at {@code url} with the mouse and a fresh one-time code. */
  static void signInAt(Page page, String url, String email, String password, TestTotp totp, String firstHeading) {
    page.navigate(url);
    page.getByLabel("Email address").fill(email);
    page.getByLabel("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
    Locator otp = page.getByLabel("One-time code");
    assertThat(otp).isVisible();
    for (int attempt = 0; attempt < 2; attempt++) {
      otp.fill(totp.nextCode());
      page.getByRole(AriaRole.BUTTON, named("Continue")).click();
      Locator done = page.getByRole(AriaRole.HEADING, named(firstHeading));
      done.or(page.locator(".error-summary")).first().waitFor();
      if (done.isVisible()) {
        return;
      }
    }
    throw new AssertionError("sign-in failed: " + page.locator(".error-summary").innerText());
  }

  /**
   * Runs axe-core with the WCAG 2.0–2.2 A and AA rules, prints the result as one line for the
   * note, and answers the violations (rule id, count, first targets).
   */
  @SuppressWarnings("unchecked")
  static List<String> axe(Page page, String name) {
    List<String> violations = (List<String>) page.evaluate("""
        async (tags) => {
          const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
          return r.violations.map((v) => v.id + ' x' + v.nodes.length + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
        }
        """, WCAG);
    int width = ((Number) page.evaluate("window.innerWidth")).intValue();
    System.out.println("AXE " + name + " @" + width + "px: " + violations.size() + " violations" + (violations.isEmpty() ? "" : " " + violations));
    return violations;
  }

  /** axe finds nothing and the page needs no sideways scrolling (every action reachable at this width). */
  static void checkPage(Page page, String name) {
    assertEquals(List.of(), axe(page, name), "axe-core WCAG 2.2 AA on " + name);
    int overflow = ((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue();
    if (overflow > 0) {
      Object wide = page.evaluate("() => [...document.querySelectorAll('body *')]"
          + ".filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8)"
          + ".map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))");
      throw new AssertionError(name + " scrolls sideways by " + overflow + "px; too wide: " + wide);
    }
  }

  /** checkPage at 1280 px, then again at 390 px (a phone) on the same page. */
  static void checkAtBothWidths(Page page, String name) {
    page.setViewportSize(1280, 900);
    checkPage(page, name);
    page.setViewportSize(390, 844);
    checkPage(page, name);
    page.setViewportSize(1280, 900);
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
