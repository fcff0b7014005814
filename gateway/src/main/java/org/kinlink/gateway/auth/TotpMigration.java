package org.kinlink.gateway.auth;

import io.vertx.core.Future;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.crypto.SecretBox;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.Page;

/**
 * At start, seals every TOTP secret still stored in clear: written before sealing existed (the
 * {@code kinlink admin} commands seal theirs at once with the master key, and refuse to write
 * without one). Rewriting a record through the directory seals it; records are
 * rewritten with compare-and-set, so a concurrent change is never lost. Safe to run on every node.
 */
final class TotpMigration {
  private static final int PAGE = 200;

  private TotpMigration() {}

  /** Answers how many secrets it sealed. */
  static Future<Integer> sealAll(Directory directory) {
    int[] sealed = {0};
    return directory.establishments()
        .compose(ests -> {
          Future<Void> all = Future.succeededFuture();
          for (Establishment e : ests) {
            all = all.compose(v -> staffFrom(directory, e.id(), null, sealed));
          }
          return all;
        })
        .compose(v -> peopleFrom(directory, null, sealed))
        .map(v -> sealed[0]);
  }

  private static Future<Void> staffFrom(Directory directory, String est, String cursor, int[] sealed) {
    return directory.staffList(est, cursor, PAGE).compose(page -> {
      Future<Void> all = Future.succeededFuture();
      for (var s : page.items()) {
        if (s.totpSecret() != null && !SecretBox.isSealed(s.totpSecret())) {
          all = all.compose(v -> directory.updateStaff(s.id(), UnaryOperator.identity()).map(c -> {
            sealed[0]++;
            return null;
          }));
        }
      }
      return all.compose(v -> next(page) ? staffFrom(directory, est, page.nextCursor(), sealed) : Future.succeededFuture());
    });
  }

  private static Future<Void> peopleFrom(Directory directory, String cursor, int[] sealed) {
    return directory.people(null, cursor, PAGE).compose(page -> {
      Future<Void> all = Future.succeededFuture();
      for (var p : page.items()) {
        if (p.totpSecret() != null && !SecretBox.isSealed(p.totpSecret())) {
          all = all.compose(v -> directory.updatePerson(p.id(), UnaryOperator.identity()).map(c -> {
            sealed[0]++;
            return null;
          }));
        }
      }
      return all.compose(v -> next(page) ? peopleFrom(directory, page.nextCursor(), sealed) : Future.succeededFuture());
    });
  }

  private static boolean next(Page<?> page) {
    return page.nextCursor() != null;
  }
}
