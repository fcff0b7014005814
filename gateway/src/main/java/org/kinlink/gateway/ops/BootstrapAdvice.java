package org.kinlink.gateway.ops;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Page;
import org.kinlink.gateway.people.StaffAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a new deployment nobody can sign in until {@code kinlink admin bootstrap} has made the first
 * establishment and admin. That is advice, not unreadiness: the node answers every request
 * correctly (a sign-in with no accounts is refused, as it should be), and a 503 would make a load
 * balancer or orchestrator pull or restart a healthy node while the operator, who bootstraps from
 * the command line and needs no HTTP for it, follows the advice.
 */
public final class BootstrapAdvice {
  private static final Logger log = LoggerFactory.getLogger(BootstrapAdvice.class);

  private BootstrapAdvice() {}

  /** What to run, for this node's data dir or Redis. */
  public static String command(GatewayConfig config) {
    String target = config.redisUrl().isPresent() ? "--redis URL" : "--data-dir " + config.dataDir();
    return "no administrator yet: run `kinlink admin bootstrap --establishment ID --establishment-name NAME --email EMAIL "
        + target + "` to create the first establishment and its admin";
  }

  /** Logs the advice now if it applies, and shows it in {@code /health/ready} until an account exists. */
  public static void register(Readiness readiness, Directory directory, GatewayConfig config) {
    String advice = command(config);
    AtomicBoolean bootstrapped = new AtomicBoolean();
    readiness.advise("bootstrap", () -> {
      if (bootstrapped.get()) {
        return Future.succeededFuture();
      }
      return anyStaff(directory).map(any -> {
        if (any) {
          bootstrapped.set(true); // accounts are never deleted: once there is one, stop asking
        }
        return any ? null : advice;
      });
    });
    anyStaff(directory).onSuccess(any -> {
      if (!any) {
        log.warn(advice);
      }
    });
  }

  /** True when any establishment has a staff account (only an admin, or bootstrap, makes them). */
  static Future<Boolean> anyStaff(Directory directory) {
    return directory.establishments().compose(ests -> {
      List<Future<Page<StaffAccount>>> pages = new ArrayList<>();
      ests.forEach(e -> pages.add(directory.staffList(e.id(), null, 1)));
      return Future.all(pages).map(all -> pages.stream().anyMatch(p -> !p.result().items().isEmpty()));
    });
  }
}
