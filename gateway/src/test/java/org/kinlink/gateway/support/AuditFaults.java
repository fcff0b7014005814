package org.kinlink.gateway.support;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/** A real Redis failure of the audit write only, and a look at what writes left parked in the directory's outbox. */
public final class AuditFaults {
  private AuditFaults() {}

  /**
   * Makes the audit slot refuse every append (its head is not a hash any more) while {@code during} runs,
   * then puts it back: deterministic, and nothing else in Redis fails.
   */
  public static <T> T refusingAppends(Redis redis, Supplier<T> during) {
    String head = Keys.auditHead(Keys.AUDIT);
    String saved = head + "-saved-" + UUID.randomUUID();
    // a chain nothing was appended to yet has no head to keep
    boolean hadHead = Gateway.<Long>await(redis.call(c -> c.exists(head))) > 0;
    if (hadHead) {
      Gateway.await(redis.call(c -> c.rename(head, saved)));
    }
    Gateway.await(redis.call(c -> c.set(head, "refusing")));
    try {
      return during.get();
    } finally {
      Gateway.await(redis.call(c -> c.del(head)));
      if (hadHead) {
        Gateway.await(redis.call(c -> c.rename(saved, head)));
      }
    }
  }

  /** Change id -> parked entry of every directory change whose audit entry is not written yet. */
  public static Map<String, String> parkedDirectoryChanges(Redis redis) {
    return Gateway.await(redis.call(c -> c.hgetall(Keys.dirAuditOutbox())));
  }

  /** The change id of a parked directory change whose audit event {@code matches}, or null when none is parked. */
  public static String parkedChange(Redis redis, Predicate<JsonObject> matches) {
    return parkedDirectoryChanges(redis).entrySet().stream()
        .filter(e -> matches.test(new JsonObject(e.getValue()).getJsonObject("audit")))
        .map(Map.Entry::getKey).findFirst().orElse(null);
  }

  /** A node's outbox with its own sweeping stopped, so the test runs every sweep itself. */
  public static AuditOutbox quiet(Gateway node) {
    AuditOutbox outbox = node.services().peopleOutbox();
    outbox.stop(node.services().vertx());
    return outbox;
  }
}
