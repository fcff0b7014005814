package org.kinlink.gateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * axe-core against WCAG 2.0–2.2 A and AA on a page as it is now, for the kiosk, portal, join and
 * security pages' browser tests. The script comes from the axe-core Playwright artifact on the
 * test class path and is injected on each check, so a page that navigated since still gets it.
 */
public final class Axe {
  private static final String SOURCE = load();
  private static final String RUN = "async () => { const r = await axe.run(document, {runOnly: {type: 'tag', values:"
      + " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});"
      + " return JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))); }";

  private Axe() {}

  /** Fails with every violation axe-core finds, each with its rule, help text and elements. */
  public static void assertNoViolations(Page page, String where) {
    page.evaluate(SOURCE);
    JsonArray violations = new JsonArray(String.valueOf(page.evaluate(RUN)));
    System.out.println("AXE " + where + ": " + violations.size() + " violations");
    assertEquals(new JsonArray(), violations, where + ": " + violations.encodePrettily());
  }

  private static String load() {
    try (InputStream in = Axe.class.getClassLoader().getResourceAsStream("axe.min.js")) {
      if (in == null) {
        throw new IllegalStateException("axe.min.js is not on the test class path (com.deque.html.axe-core:playwright)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
