package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinlink.policy.PartyRefs;

/**
 * Names instead of ids on every screen: who wrote a version, and who a policy's {@code never_with}
 * means ("Ethan Clarke (E2468KL)"). A party is named only when the viewer's establishment may see
 * that record (its own prisoner or person, or the other side of one of this prisoner's contacts);
 * otherwise the reference is shown as it was written, so a summary never tells one prison about
 * another's people.
 */
final class Naming {
  private final Parties parties;
  private final ContactStore store;

  Naming(Parties parties, ContactStore store) {
    this.parties = parties;
    this.store = store;
  }

  /** Account id -> display name, for each of {@code accounts}. */
  Future<Map<String, String>> accounts(Collection<String> accounts) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(accounts));
    List<Future<String>> names = ids.stream().map(parties::displayName).toList();
    return Future.all(names).map(v -> {
      Map<String, String> out = new HashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        out.put(ids.get(i), names.get(i).result());
      }
      return out;
    });
  }

  /** Engine party id (as in a parsed policy's never_with) -> how the viewer's establishment sees it. */
  Future<Map<String, String>> parties(String establishment, String prisonerId, Collection<String> engineIds) {
    Set<String> ids = new LinkedHashSet<>(engineIds);
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return store.list(prisonerId).compose(contacts -> {
      Set<String> counterparts = new java.util.HashSet<>();
      contacts.forEach(c -> counterparts.add(c.partyId()));
      List<String> order = new ArrayList<>(ids);
      List<Future<String>> labels = order.stream().map(id -> label(establishment, counterparts, id)).toList();
      return Future.all(labels).map(v -> {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
          out.put(order.get(i), labels.get(i).result());
        }
        return out;
      });
    });
  }

  private Future<String> label(String establishment, Set<String> counterparts, String engineId) {
    String ref = PartyRefs.toDocument(engineId);
    String partyId = PartyRefs.isPrisonNumber(ref) && engineId.startsWith("prisoner:") ? "pr-" + ref : ref;
    return parties.party(partyId).map(found -> found.filter(p -> p.visibleTo(establishment) || counterparts.contains(p.id()))
        .map(p -> p.name() + " (" + ref + ")").orElse(ref));
  }
}
