package org.kinlink.gateway.people;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinlink.gateway.audit.ActorNames;

/**
 * Audit actors named from the directory. A reader learns a name only when the record is of their own
 * establishment (staff, prisoners, devices) or works with it (people outside); otherwise the kind and
 * role are all they are told, as every other answer about another establishment's records.
 */
public final class DirectoryActorNames implements ActorNames {
  private final Directory directory;

  public DirectoryActorNames(Directory directory) {
    this.directory = directory;
  }

  @Override
  public Future<Map<String, JsonObject>> of(String est, Collection<String> actorIds) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(actorIds));
    List<Future<JsonObject>> found = new ArrayList<>();
    for (String id : ids) {
      found.add(actor(est, id));
    }
    return Future.all(found).map(all -> {
      Map<String, JsonObject> out = new LinkedHashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        out.put(ids.get(i), all.resultAt(i));
      }
      return out;
    });
  }

  private Future<JsonObject> actor(String est, String id) {
    if (id == null || id.isEmpty()) {
      return Future.succeededFuture(kind(id, "unknown"));
    }
    if (id.startsWith("st-")) {
      return directory.staff(id).map(s -> named(id, "staff", s.filter(x -> est.equals(x.establishment())).map(StaffAccount::name), s.isPresent()));
    }
    if (id.startsWith("pe-")) {
      return directory.person(id).map(p -> named(id, "person",
          p.filter(x -> x.establishments().contains(est)).map(PersonOutside::name), p.isPresent()));
    }
    if (id.startsWith("pr-")) {
      return directory.prisoner(id).map(p -> named(id, "prisoner", p.filter(x -> est.equals(x.establishment()))
          .map(x -> x.name() + " (" + x.prisonNumber() + ")"), p.isPresent()));
    }
    if (id.startsWith("kiosk:")) {
      return directory.device(id.substring("kiosk:".length())).map(d -> named(id, "kiosk",
          d.filter(x -> est.equals(x.establishment())).map(KioskDevice::location), d.isPresent()));
    }
    if (id.startsWith("cli:")) {
      return Future.succeededFuture(kind(id, "operator").put("name", id.substring("cli:".length())));
    }
    if (id.startsWith("email:")) {
      return Future.succeededFuture(kind(id, "email").put("name", id.substring("email:".length())));
    }
    if (id.startsWith("link:")) {
      return Future.succeededFuture(kind(id, "link"));
    }
    if (id.equals("system") || id.equals("demo") || id.startsWith("jitsi-")) {
      return Future.succeededFuture(kind(id, "system"));
    }
    return Future.succeededFuture(kind(id, "unknown"));
  }

  private static JsonObject kind(String id, String kind) {
    return new JsonObject().put("id", id).put("kind", kind).put("on_record", true);
  }

  private static JsonObject named(String id, String kind, Optional<String> name, boolean onRecord) {
    JsonObject j = new JsonObject().put("id", id).put("kind", kind).put("on_record", onRecord);
    name.ifPresent(n -> j.put("name", n));
    return j;
  }
}
