package org.kinlink.gateway.contacts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kinlink.policy.Decision;
import org.kinlink.policy.DecisionRequest;
import org.kinlink.policy.PolicyEngine;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.Contact;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Reason;

/**
 * What a staff member's dry run may show: the decision, and the facts of the caller's own
 * establishment. An inter-prison call also weighs the other prison's policies and its prisoner's
 * clearance; those decide the effect, but their staff texts, clearance and versions belong to the
 * other establishment. A reason is shown with its staff text only when the caller's own facts
 * alone produce it (the same request decided without the other establishment's contacts and with
 * its prisoner's clearance left out); any other reason is shown as its user-safe text, as that
 * establishment's staff would tell a party.
 */
final class DryRunView {
  private DryRunView() {}

  static JsonObject of(String establishment, ContactDecisions.Outcome o, PolicyEngine engine) {
    DecisionRequest r = o.request();
    Set<String> own = new HashSet<>();
    r.prisoners().stream().filter(p -> establishment.equals(p.establishment())).forEach(p -> own.add(p.id()));
    boolean foreign = own.size() < r.prisoners().size();
    Decision d = o.decision();
    JsonObject decision = new JsonObject(d.toJson(true));
    if (foreign) {
      Set<Reason> ownReasons = new HashSet<>(engine.decide(ownOnly(r, own)).reasons());
      JsonArray reasons = decision.getJsonArray("reasons");
      Set<String> shownRules = new HashSet<>();
      for (int i = 0; i < d.reasons().size(); i++) {
        Reason reason = d.reasons().get(i);
        if (ownReasons.contains(reason)) {
          shownRules.add(reason.rule());
        } else {
          reasons.set(i, new JsonObject().put("rule", reason.publicCode()).put("effect", reason.effect().name())
              .put("text", reason.userText()).put("other_establishment", true));
        }
      }
      if (d.effect() != org.kinlink.policy.model.Effect.PERMIT) {
        decision.put("determined_by", new JsonArray(d.determinedBy().stream().filter(shownRules::contains).toList()));
      }
    }
    JsonObject usage = new JsonObject().put("calls_this_week", o.usage().callsThisWeek())
        .put("calls_last_14_days", o.usage().callsLast14Days()).put("messages_today", o.usage().messagesToday());
    JsonArray prisoners = new JsonArray();
    for (Prisoner p : r.prisoners()) {
      JsonObject j = new JsonObject().put("id", p.id()).put("prison_number", org.kinlink.policy.PartyRefs.toDocument(p.id()))
          .put("establishment", p.establishment());
      if (own.contains(p.id())) {
        j.put("clearance", p.clearance().name());
      }
      prisoners.add(j);
    }
    JsonArray people = new JsonArray();
    r.people().forEach(pe -> people.add(new JsonObject().put("id", pe.id()).put("child", pe.child())));
    Set<String> ownPrisonerIds = new HashSet<>();
    own.forEach(id -> ownPrisonerIds.add("pr-" + org.kinlink.policy.PartyRefs.toDocument(id)));
    JsonObject versions = new JsonObject();
    o.policyVersions().forEach((contact, version) -> {
      if (ownPrisonerIds.contains(o.contactPrisoners().get(contact))) {
        versions.put(contact, version);
      }
    });
    JsonArray enforceable = r.enforceable() == null ? null
        : new JsonArray(r.enforceable().stream().map(Enum::name).sorted().toList());
    return new JsonObject().put("decision", decision).put("policy_version", o.policyVersion())
        .put("policy_versions", versions)
        .put("facts", new JsonObject().put("at", r.at().toString()).put("actor", r.actor().id())
            .put("prisoners", prisoners).put("people", people).put("usage", usage).put("enforceable", enforceable));
  }

  /** The request without the other establishment's contacts, and with its prisoner's clearance taken out of play. */
  private static DecisionRequest ownOnly(DecisionRequest r, Set<String> own) {
    List<Prisoner> prisoners = r.prisoners().stream()
        .map(p -> own.contains(p.id()) ? p : new Prisoner(p.id(), p.establishment(), Clearance.FULL)).toList();
    List<Contact> contacts = r.contacts().stream().filter(c -> own.contains(c.prisonerId())).toList();
    return new DecisionRequest(r.action(), r.actor(), r.at(), prisoners, r.people(), contacts, r.call(), r.content(),
        r.enforceable());
  }
}
