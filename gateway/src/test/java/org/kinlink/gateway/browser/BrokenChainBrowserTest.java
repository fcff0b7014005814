package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.kinlink.gateway.browser.ConsoleBrowser.named;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * The chain check when someone has changed an entry in Redis: the security console says the log is
 * broken, names the first bad entry and what is wrong with it in words, and links to read the log
 * from there. A class of its own, because it leaves this class's audit chain broken.
 */
class BrokenChainBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aChangedEntryIsNamedInWords() {
    Path chromium = ConsoleBrowser.chromium();
    assumeTrue(chromium != null, "no Chromium");
    Gateway gateway = kinlink.gateway();
    AuthFixture fix = kinlink.establishment();
    AuthFixture.Staff security = fix.staff(Role.SECURITY);
    long seq = 0;
    for (int i = 0; i < 5; i++) {
      seq = Gateway.await(gateway.services().audit().append(AuditEvent.of("contact.policy.update").actor("st-x", "OFFICER")
          .establishment(fix.est).detail("reason", "entry " + i).build())).seq();
    }
    long altered = seq - 2;
    String key = Keys.auditEntries(Keys.AUDIT);
    String stored = Gateway.await(kinlink.redis().<String>call(c -> c.hget(key, Long.toString(altered))));
    JsonObject entry = new JsonObject(stored);
    entry.getJsonObject("details").put("reason", "rewritten afterwards");
    Gateway.await(kinlink.redis().<Boolean>call(c -> c.hset(key, Long.toString(altered), entry.encode())));

    try (ConsoleBrowser browser = ConsoleBrowser.launch(chromium, "http://127.0.0.1:" + gateway.port())) {
      Page page = browser.page(1280);
      browser.signIn(page, "/security/", security.account().email(), security.password(), kinlink.totp(security.totpSecret()),
          "Security overview");
      page.locator("#console-nav").getByRole(AriaRole.LINK).filter(new com.microsoft.playwright.Locator.FilterOptions()
          .setHasText("Check the log")).click();
      page.getByRole(AriaRole.BUTTON, named("Check the log now")).click();
      assertThat(page.getByRole(AriaRole.HEADING, named("The audit log is broken"))).isVisible();
      assertThat(page.locator(".verify-result")).containsText("The first bad entry is entry " + altered);
      assertThat(page.locator(".verify-result")).containsText("That entry was changed after it was written");
      ConsoleBrowser.checkAtBothWidths(page, "security: check the log, broken");
      page.getByRole(AriaRole.LINK, named("Read the log from entry " + altered)).click();
      assertThat(page.locator("#audit-entries > li").first()).hasAttribute("data-seq", Long.toString(altered));
      page.context().close();
    }
  }
}
