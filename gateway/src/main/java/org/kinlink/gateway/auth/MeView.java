package org.kinlink.gateway.auth;

import org.kinlink.gateway.identity.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;

/**
 * What {@code GET /api/v1/me} answers: who I am, my role and establishment, plus members other
 * capabilities add. <b>Extension point:</b> a capability calls {@link #register(String, Part)} once at
 * start-up (e.g. contacts registers {@code "contacts"}) and its part is computed for every request.
 */
public final class MeView {
  /** One member of the answer, computed for the signed-in principal; null leaves the member out. */
  @FunctionalInterface
  public interface Part {
    Future<Object> compute(Principal principal);
  }

  private final Directory directory;
  private final List<Map.Entry<String, Part>> parts = new CopyOnWriteArrayList<>();

  public MeView(Directory directory) {
    this.directory = directory;
  }

  /** Adds a member (e.g. "contacts"); names must not clash with the base members or each other. */
  public void register(String member, Part part) {
    if (List.of("account_id", "role", "establishment", "person_id", "name").contains(member)
        || parts.stream().anyMatch(e -> e.getKey().equals(member))) {
      throw new IllegalArgumentException("/me member " + member + " is already defined");
    }
    parts.add(Map.entry(member, part));
  }

  /** The answer for a principal. */
  public Future<JsonObject> build(Principal p) {
    JsonObject me = new JsonObject().put("account_id", p.accountId()).put("role", p.role().name()).put("person_id", p.personId());
    Future<JsonObject> base = switch (p.role()) {
      case PRISONER -> directory.prisoner(p.accountId()).map(o -> o.map(x -> me.put("name", x.name())
          .put("prison_number", x.prisonNumber())).orElse(me));
      case OUTSIDE -> directory.person(p.accountId()).map(o -> o.map(x -> me.put("name", x.name())
          .put("kind", x.kind().name()).put("verified", x.verified())).orElse(me));
      default -> directory.staff(p.accountId()).map(o -> o.map(x -> me.put("name", x.name()).put("email", x.email())).orElse(me));
    };
    Future<JsonObject> withEst = base.compose(j -> p.establishment() == null
        ? Future.succeededFuture(j.put("establishment", null))
        : directory.establishment(p.establishment()).map(e -> j.put("establishment",
            e.map(Establishment::toJson).orElse(new JsonObject().put("id", p.establishment())))));
    return withEst.compose(j -> {
      List<Map.Entry<String, Part>> snapshot = List.copyOf(parts);
      List<Future<Object>> computed = new ArrayList<>();
      for (var part : snapshot) {
        computed.add(part.getValue().compute(p));
      }
      return Future.all(computed).map(all -> {
        for (int i = 0; i < snapshot.size(); i++) {
          Object v = computed.get(i).result();
          if (v != null) {
            j.put(snapshot.get(i).getKey(), v);
          }
        }
        return j;
      });
    });
  }
}
