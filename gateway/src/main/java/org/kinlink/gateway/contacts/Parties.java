package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** What contacts need to know about prisoners and people outside, read from the people directory. */
public interface Parties {

  /**
   * A prisoner.
   *
   * @param initialClearance the clearance recorded when the prisoner was registered (used until staff set one here)
   */
  record PrisonerInfo(String id, String prisonNumber, String name, String establishment, String initialClearance) {}

  /**
   * The other party of a contact: a person outside, or another prisoner (inter-prison contact).
   *
   * @param id the id a contact stores: {@code pe-...} for a person, {@code pr-...} for a prisoner
   * @param kind CHILD, CARER, PARENT, SCHOOL, SOCIAL_WORKER, LEGAL, OTHER, or PRISONER
   * @param prisoner the prisoner record when the party is a prisoner
   * @param establishments whose staff may see this party: a person's registering establishments, a prisoner's own
   */
  record PartyInfo(String id, String name, String kind, boolean child, PrisonerInfo prisoner, List<String> establishments) {
    public PartyInfo {
      establishments = establishments == null ? List.of() : List.copyOf(establishments);
    }

    /** True for another prisoner. */
    public boolean isPrisoner() {
      return prisoner != null;
    }

    /** True when staff of this establishment may see this party's record. */
    public boolean visibleTo(String establishment) {
      return establishment != null && establishments.contains(establishment);
    }
  }

  /** The prisoner with this id. */
  Future<Optional<PrisonerInfo>> prisoner(String prisonerId);

  /** Shows a clearance change on the prisoner's record too (display only: decisions read the versioned store). */
  Future<Void> mirrorClearance(String prisonerId, String level);

  /**
   * The name to show for an account that wrote something (a version's author): a staff member's,
   * prisoner's or person's name; {@code system} and other service accounts by what they are.
   */
  Future<String> displayName(String accountId);

  /** The party with this id (a person outside, or a prisoner); a person linked to a prisoner resolves to that prisoner. */
  Future<Optional<PartyInfo>> party(String partyId);
}
