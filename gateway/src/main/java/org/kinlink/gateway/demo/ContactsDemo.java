package org.kinlink.gateway.demo;

import static org.kinlink.gateway.demo.DemoIds.*;

import org.kinlink.gateway.contacts.Contacts;
import org.kinlink.gateway.contacts.ContactsService;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;

/**
 * The demo contacts of docs/cli.md with the policies of docs/domain.md's stories, created through the
 * service like any staff change (so each is versioned and audited, by the account {@code demo-data}).
 * Idempotent: a contact or clearance that is already there is left as it is.
 */
public final class ContactsDemo {
  private ContactsDemo() {}

  private static final JsonArray WEEKDAYS = new JsonArray(List.of("MON", "TUE", "WED", "THU", "FRI"));

  /**
   * One demo contact: whose, with whom, and its restrictions.
   *
   * @param partyId the party as stored (a person linked to a prisoner is stored as that prisoner)
   * @param namedAs the record staff name when proposing it (the linked person, for another prison's prisoner)
   */
  private record Demo(String prisonerId, String establishment, String partyId, String namedAs, String relationship,
      JsonObject policy, String why) {
    Demo(String prisonerId, String establishment, String partyId, String relationship, JsonObject policy, String why) {
      this(prisonerId, establishment, partyId, partyId, relationship, policy, why);
    }
  }

  /** Creates whatever of the demo contacts and clearances is missing. */
  public static Future<Void> load(Contacts contacts) {
    List<Supplier<Future<Void>>> steps = new ArrayList<>();
    steps.add(() -> clearance(contacts, PRISONER_A1234BC, STYAL, "FULL", "Assessed: no restriction on contact with her children."));
    steps.add(() -> clearance(contacts, PRISONER_D7890HJ, SEND, "NONE",
        "Assessed as a risk to children: no contact with any child until reassessed."));
    steps.add(() -> clearance(contacts, PRISONER_E2468KL, SEND, "FULL", "Assessed: may see his baby in inter-prison calls."));
    for (Demo d : demos()) {
      steps.add(() -> contact(contacts, d));
    }
    Future<Void> all = Future.succeededFuture();
    for (Supplier<Future<Void>> step : steps) {
      all = all.compose(v -> step.get());
    }
    return all;
  }

  private static List<Demo> demos() {
    JsonObject afterSchool = new JsonObject().put("days", WEEKDAYS).put("from", "15:30").put("to", "19:30");
    JsonObject weekends = new JsonObject().put("days", new JsonArray(List.of("SAT", "SUN"))).put("from", "09:00").put("to", "19:30");
    JsonObject schoolHours = new JsonObject().put("days", WEEKDAYS).put("from", "09:00").put("to", "15:00");
    JsonArray homeWindows = new JsonArray(List.of(afterSchool, weekends));
    JsonObject reviewPhotos = new JsonObject().put("review_photos", true);
    JsonObject school = new JsonObject().put("review_photos", true)
        .put("sensitive_terms", new JsonArray(List.of("Oakfield Primary")));
    JsonArray notTheFather = new JsonArray(List.of("E2468KL"));
    return List.of(
        new Demo(PRISONER_A1234BC, STYAL, PERSON_CARER, "CARER", policy("CARER", "RECORDED", "MESSAGE", "PHOTO", "VIDEO")
            .put("windows", homeWindows).put("content", reviewPhotos),
            "Grandmother caring for her son: messages, photos (reviewed), recorded video after school and at weekends."),
        new Demo(PRISONER_A1234BC, STYAL, PERSON_SON, "CHILD", policy("CHILD", "RECORDED", "MESSAGE", "PHOTO", "VIDEO")
            .put("windows", homeWindows).put("content", reviewPhotos),
            "Her son (9), joining with his grandmother: as the carer's contact."),
        new Demo(PRISONER_A1234BC, STYAL, PERSON_DSL, "SCHOOL", policy("SCHOOL", "RECORDED", "MESSAGE", "VIDEO")
            .put("windows", new JsonArray(List.of(schoolHours))).put("never_with", notTheFather).put("content", school),
            "School safeguarding lead who supervises her daughter's calls at school."),
        new Demo(PRISONER_A1234BC, STYAL, PERSON_DAUGHTER, "CHILD", policy("CHILD", "SUPERVISED", "VIDEO")
            .put("supervisor", new JsonObject().put("any_of", new JsonArray(List.of("SCHOOL"))))
            .put("windows", new JsonArray(List.of(schoolHours)))
            .put("limits", new JsonObject().put("calls_per_week", 1).put("call_minutes", 30))
            .put("never_with", notTheFather).put("content", school),
            "Her daughter (11), child-protection plan: weekly video at school supervised by the safeguarding lead; "
                + "her father must never be in the call; the school's name must not reach her mother."),
        new Demo(PRISONER_A1234BC, STYAL, PRISONER_E2468KL, PERSON_FATHER, "PARENT", policy("PARENT", "RECORDED", "MESSAGE", "VIDEO"),
            "Father of her baby, at HMP Send: inter-prison contact, recorded."),
        new Demo(PRISONER_E2468KL, SEND, PRISONER_A1234BC, "PARENT", policy("PARENT", "RECORDED", "MESSAGE", "VIDEO"),
            "Mother of his baby, at HMP Styal: inter-prison contact, recorded."),
        new Demo(PRISONER_C3456FG, EASTWOOD_PARK, PERSON_SOCIAL_WORKER, "SOCIAL_WORKER",
            policy("SOCIAL_WORKER", "RECORDED", "MESSAGE", "VIDEO"), "Her children's social worker (care proceedings)."),
        new Demo(PRISONER_C3456FG, EASTWOOD_PARK, PERSON_SOLICITOR, "LEGAL", policy("LEGAL", "PRIVILEGED", "MESSAGE", "VIDEO"),
            "Her solicitor in the care proceedings: privileged, never recorded."),
        new Demo(PRISONER_D7890HJ, SEND, PERSON_SOCIAL_WORKER, "SOCIAL_WORKER",
            policy("SOCIAL_WORKER", "RECORDED", "MESSAGE", "VIDEO"), "Her social worker; no contact with children (clearance NONE)."));
  }

  private static JsonObject policy(String relationship, String oversight, String... channels) {
    return new JsonObject().put("state", "PENDING").put("relationship", relationship)
        .put("channels", new JsonArray(List.of((Object[]) channels))).put("oversight", oversight);
  }

  private static Principal loader(String establishment) {
    return new Principal("demo-data", Role.ADMIN, establishment, null, "demo");
  }

  private static Future<Void> contact(Contacts contacts, Demo d) {
    Principal staff = loader(d.establishment());
    return contacts.service().list(staff, d.prisonerId(), null, 200, null).compose(page -> {
      boolean exists = page.items().stream()
          .anyMatch(c -> c.getJsonObject("person").getString("id").equals(d.partyId()) && !"REVOKED".equals(c.getString("state")));
      if (exists) {
        return Future.succeededFuture();
      }
      JsonObject proposal = new JsonObject().put("prisoner_id", d.prisonerId()).put("person_id", d.namedAs())
          .put("relationship", d.relationship()).put("reason", "Demo data: " + d.why()).put("policy", d.policy());
      return contacts.service().propose(staff, proposal, null)
          .compose(created -> contacts.service().transition(staff, created.body().getString("id"),
              ContactsService.Transition.APPROVE, new JsonObject().put("reason", "Demo data: checked and approved."), null, null))
          .mapEmpty();
    });
  }

  private static Future<Void> clearance(Contacts contacts, String prisonerId, String establishment, String level, String why) {
    Principal staff = loader(establishment);
    return contacts.service().clearance().get(staff, prisonerId).compose(current -> current.getInteger("version") > 0
        ? Future.succeededFuture()
        : contacts.service().clearance().put(staff, prisonerId, new JsonObject().put("clearance", level)
            .put("reason", "Demo data: " + why), 0, null).mapEmpty());
  }
}
