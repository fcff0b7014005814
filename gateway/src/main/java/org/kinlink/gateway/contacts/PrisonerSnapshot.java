package org.kinlink.gateway.contacts;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinlink.policy.ParseResult;
import org.kinlink.policy.PolicyDocuments;
import org.kinlink.policy.model.ContactPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything decisions need about one prisoner, read from Redis at one instant: her clearance and
 * every contact with its current policy, already parsed by the policy module. Immutable; a node
 * caches it until a change invalidates it.
 *
 * @param revision the prisoner's policy revision when read (every change bumps it)
 * @param contacts by contact id
 * @param policies parsed policy of each contact, by contact id (a contact whose stored document no
 *     longer parses is left out, so decisions about it fail closed as "no contact on record")
 */
public record PrisonerSnapshot(String prisonerId, long revision, ClearanceRecord clearance,
    Map<String, ContactRecord> contacts, Map<String, ContactPolicy> policies) {
  private static final Logger log = LoggerFactory.getLogger(PrisonerSnapshot.class);

  public PrisonerSnapshot {
    contacts = Map.copyOf(contacts);
    policies = Map.copyOf(policies);
  }

  /** Parses each contact's policy document once, when the snapshot is loaded. */
  public static PrisonerSnapshot of(String prisonerId, long revision, ClearanceRecord clearance,
      Map<String, ContactRecord> contacts) {
    Map<String, ContactPolicy> policies = new HashMap<>();
    for (ContactRecord c : contacts.values()) {
      ParseResult parsed = PolicyDocuments.parse(c.policy().encode());
      if (parsed.isValid()) {
        policies.put(c.id(), parsed.policy().orElseThrow());
      } else {
        log.error("stored policy of contact {} (version {}) does not parse: {}", c.id(), c.version(), parsed.problems());
      }
    }
    return new PrisonerSnapshot(prisonerId, revision, clearance, contacts, policies);
  }

  /** The contact with this id. */
  public Optional<ContactRecord> contact(String contactId) {
    return Optional.ofNullable(contacts.get(contactId));
  }

  /** The parsed policy of a contact. */
  public Optional<ContactPolicy> policy(String contactId) {
    return Optional.ofNullable(policies.get(contactId));
  }

  /**
   * The prisoner's contact with a party that decisions use: the live one (approved, else suspended,
   * else pending) and, failing that, the latest revoked one, so a decision shows why it is refused.
   */
  public Optional<ContactRecord> contactWith(String partyId) {
    List<String> order = List.of("APPROVED", "SUSPENDED", "PENDING", "REVOKED");
    return contacts.values().stream().filter(c -> c.partyId().equals(partyId))
        .min(Comparator.comparingInt((ContactRecord c) -> order.indexOf(c.state()))
            .thenComparing(ContactRecord::updatedAt, Comparator.reverseOrder()));
  }

  /** True when the prisoner has a contact with the party that is not revoked. */
  public boolean hasLiveContactWith(String partyId) {
    return contacts.values().stream().anyMatch(c -> c.partyId().equals(partyId) && !"REVOKED".equals(c.state()));
  }
}
