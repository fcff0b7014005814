package org.kinlink.gateway.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.kinlink.gateway.browser.ConsoleBrowser.h1;
import static org.kinlink.gateway.browser.ConsoleBrowser.named;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Figures for the note, not a pass mark: time from an action to its result on screen in real
 * Chromium for a search over 1,000 prisoners, an audit filter over 10,000 entries, and an export
 * of all of them. It prints them ("FIGURE ...") and asserts only that each result is right.
 * Run: {@code ./mvnw -o -B -pl gateway test -Dtest=ConsoleFiguresTest}.
 */
class ConsoleFiguresTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static final int PRISONERS = 1_000;
  private static final int ENTRIES = 10_000;

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void searchFilterAndExportAtEstablishmentScale() throws Exception {
    Path chromium = ConsoleBrowser.chromium();
    assumeTrue(chromium != null, "no Chromium");
    Gateway gateway = kinlink.gateway();
    AuthFixture fix = kinlink.establishment();
    String hash = new SecretHasher().hashNow("2468");
    List<Prisoner> prisoners = new ArrayList<>();
    for (int i = 0; i < PRISONERS; i++) {
      String number = String.format("B%04dZZ", i);
      prisoners.add(new Prisoner(PrisonNumber.prisonerId(number), number, String.format("Bench Prisoner %04d", i), fix.est,
          Clearance.FULL, EnumSet.noneOf(PrisonerFlag.class), hash, Instant.now()));
    }
    for (int i = 0; i < PRISONERS; i += 100) {
      Gateway.await(Future.all(prisoners.subList(i, i + 100).stream().map(p -> fix.directory.createPrisoner(p)).toList()));
    }
    Prisoner target = prisoners.get(PRISONERS - 7);
    for (int i = 0; i < ENTRIES; i += 500) {
      List<Future<?>> batch = new ArrayList<>();
      for (int j = i; j < i + 500; j++) {
        Prisoner about = prisoners.get(j % PRISONERS);
        batch.add(gateway.services().audit().append(AuditEvent.of("contact.policy.update").actor("st-bench", "OFFICER")
            .establishment(fix.est).prisoner(about.id()).detail("reason", "bench entry " + j).build()));
      }
      Gateway.await(Future.all(batch));
    }

    try (ConsoleBrowser browser = ConsoleBrowser.launch(chromium, "http://127.0.0.1:" + gateway.port())) {
      Page page = browser.page(1280);
      AuthFixture.Staff officer = fix.staff(Role.OFFICER);
      browser.signIn(page, "/staff/", officer.account().email(), officer.password(), kinlink.totp(officer.totpSecret()), "Prisoners");
      Locator link = page.getByRole(AriaRole.LINK, named("Contacts of " + target.name()));
      long t = System.nanoTime();
      page.getByLabel("Find by name or prison number").fill(target.prisonNumber());
      link.waitFor();
      long byNumber = ms(t);
      page.getByLabel("Find by name or prison number").fill("");
      page.getByText(Pattern.compile("prisoners shown")).waitFor();
      t = System.nanoTime();
      page.getByLabel("Find by name or prison number").fill(target.name());
      link.waitFor();
      long byName = ms(t);
      System.out.println("FIGURE search over " + PRISONERS + " prisoners, typing to the row on screen (200 ms debounce included): by prison number "
          + byNumber + " ms, by name " + byName + " ms");

      AuthFixture.Staff security = fix.staff(Role.SECURITY);
      page.context().close();
      page = browser.page(1280);
      browser.signIn(page, "/security/", security.account().email(), security.password(), kinlink.totp(security.totpSecret()),
          "Security overview");
      t = System.nanoTime();
      page.navigate(browser.base + "/security/#/audit?from=");
      page.locator("#audit-entries > li").first().waitFor();
      long firstPage = ms(t);
      page.getByLabel("Prisoner", new Page.GetByLabelOptions().setExact(true)).fill(target.prisonNumber());
      t = System.nanoTime();
      page.getByRole(AriaRole.BUTTON, named("Show entries")).click();
      assertThat(page.locator("#audit-count")).hasText(Pattern.compile("^" + ENTRIES / PRISONERS + " entries shown"));
      long filtered = ms(t);
      System.out.println("FIGURE audit log over " + ENTRIES + "+ entries: first page of 50 on screen " + firstPage
          + " ms (navigation included); filter by one prisoner (" + ENTRIES / PRISONERS + " matches) click to list " + filtered + " ms");

      page.navigate(browser.base + "/security/#/audit?from=");
      assertThat(h1(page)).hasText("Audit log");
      page.locator("#audit-entries > li").first().waitFor();
      final Page p = page;
      t = System.nanoTime();
      Download csv = page.waitForDownload(() -> p.getByRole(AriaRole.BUTTON, named("Download CSV")).click());
      Path file = csv.path();
      page.getByText(Pattern.compile("entries exported as")).waitFor();
      long exported = ms(t);
      long lines = Files.lines(file).count();
      System.out.println("FIGURE export of every entry as CSV (" + (lines - 1) + " entries, " + Files.size(file) / 1024
          + " KiB): click to file and notice " + exported + " ms");
      assertEquals(true, lines > ENTRIES, "every entry is in the export");
      page.context().close();
    }
  }
}
