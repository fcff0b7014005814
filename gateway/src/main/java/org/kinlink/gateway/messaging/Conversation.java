package org.kinlink.gateway.messaging;

import java.util.List;
import java.util.Optional;

/**
 * One thread of messages, as the gateway stores it: a contact's two sides. For a child contact the
 * outside side is the adult who holds the child's messages (writing from the child's side); for an
 * inter-prison contact both sides are prisoners, each naming the thread by their own contact.
 *
 * @param id storage id: the contact id, or {@code ip-<prisoner>-<prisoner>} for an inter-prison thread
 * @param sides the two sides, the contact's prisoner first
 * @param privileged legal correspondence: never screened, held or shown to security
 */
record Conversation(String id, List<Side> sides, boolean privileged) {

  /**
   * One side of a thread.
   *
   * @param personId who reads and writes on this side ({@code pr-...} or {@code pe-...})
   * @param kind PRISONER, CARER, SCHOOL, ...
   * @param contactId the contact this side names the thread by (null: the other prisoner has no contact back)
   * @param establishment the prisoner's establishment (null for people outside)
   * @param prisonNumber the prisoner's number (null for people outside)
   * @param onBehalfOf the child whose messages this adult holds, or null
   */
  record Side(String personId, String name, String kind, String contactId, String establishment, String prisonNumber,
      Party onBehalfOf) {
    boolean isPrisoner() {
      return prisonNumber != null;
    }

    /** Who the messages of this side are from, as people see it: the child when an adult writes for one. */
    Party speaker() {
      return onBehalfOf != null ? onBehalfOf : new Party(personId, name, kind);
    }
  }

  /** A person as shown on screen. */
  record Party(String id, String name, String kind) {}

  Optional<Side> side(String personId) {
    return sides.stream().filter(s -> s.personId().equals(personId)).findFirst();
  }

  Side other(Side me) {
    return sides.get(0) == me ? sides.get(1) : sides.get(0);
  }

  boolean interPrison() {
    return sides.get(1).isPrisoner();
  }

  /** The establishments whose security review this thread's held messages. */
  List<String> establishments() {
    return sides.stream().filter(Side::isPrisoner).map(Side::establishment).distinct().toList();
  }
}
