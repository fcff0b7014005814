package org.kinlink.gateway.contacts;

import org.kinlink.gateway.people.PrisonNumber;

/**
 * How a client names a prisoner: by prison number ({@code A1234BC}, any case), as staff know her. The
 * internal id ({@code pr-A1234BC}) is still accepted so older clients keep working.
 */
final class PrisonerRefs {
  private PrisonerRefs() {}

  /** The prisoner id a reference names; anything that is neither form is returned as given (and will not be found). */
  static String toId(String ref) {
    if (ref == null) {
      return null;
    }
    String number = PrisonNumber.normalize(ref);
    return number != null ? PrisonNumber.prisonerId(number) : ref.trim();
  }

  /** A party reference as a client gives it: a prison number becomes the prisoner id; a person id stays. */
  static String partyId(String ref) {
    return toId(ref);
  }
}
