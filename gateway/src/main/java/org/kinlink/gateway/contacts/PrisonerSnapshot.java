package org.kinlink.gateway.contacts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything decisions need about one prisoner, read from Redis at one instant: her clearance and
 * every contact with its current policy. Immutable; a node caches it until a change invalidates it.
 *
 * @param revision the prisoner's policy revision when read (every change bumps it)
 * @param contacts by contact id
 */
public record PrisonerSnapshot(String prisonerId, long revision, ClearanceRecord clearance,
    Map<String, ContactRecord> contacts) {

  public PrisonerSnapshot {
    contacts = Map.copyOf(contacts);
  }

  /** The contact with this id. */
  public Optional<ContactRecord> contact(String contactId) {
    return Optional.ofNullable(contacts.get(contactId));
  }

  /** The prisoner's contacts with a party (at most one is live; revoked ones may linger). */
  public List<ContactRecord> contactsWith(String partyId) {
    return contacts.values().stream().filter(c -> c.partyId().equals(partyId)).toList();
  }
}
