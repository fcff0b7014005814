package org.kinlink.gateway.contacts;

import org.kinlink.gateway.identity.Principal;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.Role;

/**
 * The one mapping between gateway ids and the policy engine's party ids: {@code person:<person id>}
 * for people outside (e.g. {@code person:pe-carer}) and {@code prisoner:<prison number>} for prisoners
 * (e.g. {@code prisoner:E2468KL}), the forms staff write in a policy's {@code never_with}.
 */
public final class PartyIds {
  private PartyIds() {}

  /** The engine id of a person outside. */
  public static String person(String personId) {
    return "person:" + personId;
  }

  /** The engine id of a prisoner. */
  public static String prisoner(Parties.PrisonerInfo prisoner) {
    return "prisoner:" + prisoner.prisonNumber();
  }

  /** The engine id of a contact's other party. */
  public static String party(Parties.PartyInfo party) {
    return party.isPrisoner() ? prisoner(party.prisoner()) : person(party.id());
  }

  /** The engine id of a staff account. */
  public static String staff(String accountId) {
    return "staff:" + accountId;
  }

  /** The engine's view of a signed-in staff member. */
  public static Actor staffActor(Principal p) {
    return Actor.staff(staff(p.accountId()), Role.valueOf(p.role().name()), p.establishment());
  }
}
