package org.kinlink.gateway.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;

/**
 * Who the actors of audit entries are, as a reader of one establishment may be told: so the audit
 * list shows names and roles, not account ids. Implemented by the identity directory (the audit
 * package knows no identities).
 */
public interface ActorNames {
  /**
   * For each actor id, {@code {id, kind, name?, role?, on_record}}: {@code kind} is one of staff,
   * person, prisoner, kiosk, operator, email, link, system, unknown; {@code name} is absent when the
   * reader may not know it (another establishment's record) or there is none any more
   * ({@code on_record} false: a deleted account or device).
   */
  Future<Map<String, JsonObject>> of(String readerEstablishment, Collection<String> actorIds);

  /** Names nobody: every actor by its kind only (a gateway without a directory, e.g. in tests). */
  ActorNames NONE = (est, ids) -> Future.succeededFuture(Map.of());
}
