package org.kinlink.gateway.contacts;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * {@code lua/contacts-snapshot.lua}: a prisoner's revision, clearance and contacts read at one
 * instant, with every contact key declared. The ids come from the index first; if a contact is
 * added between that read and the script, the script says so and the read is repeated.
 */
final class SnapshotScript {
  static final LuaScript SCRIPT = LuaScript.load("contacts-snapshot");
  private static final int MAX_ATTEMPTS = 5;

  private final Redis redis;

  SnapshotScript(Redis redis) {
    this.redis = redis;
  }

  /** {@code [revision, clearance fields, contact fields...]}, as the script answers after "OK". */
  Future<List<Object>> read(String prisonerId) {
    return redis.<List<String>>call(c -> c.zrange(Keys.prisonerContacts(prisonerId), 0, -1))
        .compose(ids -> attempt(prisonerId, ids, 1));
  }

  private Future<List<Object>> attempt(String prisonerId, List<String> ids, int attempt) {
    List<String> keys = new ArrayList<>(List.of(Keys.policyRevision(prisonerId), Keys.clearance(prisonerId),
        Keys.prisonerContacts(prisonerId)));
    ids.forEach(id -> keys.add(Keys.contact(prisonerId, id)));
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys.toArray(String[]::new), ids.toArray(String[]::new))
        .compose(r -> {
          if ("OK".equals(String.valueOf(r.get(0)))) {
            return Future.succeededFuture(r.subList(1, r.size()));
          }
          if (attempt >= MAX_ATTEMPTS) {
            return Future.failedFuture(new IllegalStateException("contacts of " + prisonerId + " kept changing"));
          }
          List<String> fresh = r.subList(1, r.size()).stream().map(String::valueOf).toList();
          return attempt(prisonerId, fresh, attempt + 1);
        });
  }
}
