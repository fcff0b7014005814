package org.kinlink.gateway.redis;

/**
 * Every Redis key the gateway uses, in one place (the README's operations section mirrors this).
 *
 * <p>All keys start with {@code kl:}. Hash tags ({@code {...}}) keep what one Lua script or one
 * transaction touches in one Redis Cluster slot: one prisoner's data under {@code {p:<id>}}, the
 * audit chain under {@code {audit}}, one account's sign-in state under {@code {acct:<id>}}.
 * Each capability owns one section below.
 */
public final class Keys {
  private Keys() {}

  // --- gateway ---

  /** Pub/sub channel every node listens to for cross-node events. */
  public static final String EVENTS_CHANNEL = "kl:events";

  // --- contacts, restrictions, clearance (issue 5) ---

  /** Hash: one contact's current record and policy document (fields in {@code contacts.ContactRecord}). */
  public static String contact(String prisonerId, String contactId) {
    return "kl:{p:" + prisonerId + "}:contact:" + contactId;
  }

  /** List: every policy version of one contact as JSON, newest first. */
  public static String contactVersions(String prisonerId, String contactId) {
    return "kl:{p:" + prisonerId + "}:contact:" + contactId + ":versions";
  }

  /** Sorted set: a prisoner's contact ids, scored by creation time (epoch ms). */
  public static String prisonerContacts(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:contacts";
  }

  /** String: contact id -> prisoner id, written once before the contact (the URL carries only the contact id). */
  public static String contactOwner(String contactId) {
    return "kl:contact-owner:" + contactId;
  }

  /** Set: "prisonerId/contactId" of every contact a person outside is party to. */
  public static String personContacts(String personId) {
    return "kl:{pe:" + personId + "}:contacts";
  }

  /** Hash: a prisoner's child-contact clearance (level, version, who, when, why); absent = not assessed. */
  public static String clearance(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:clearance";
  }

  /** List: every clearance version as JSON, newest first. */
  public static String clearanceVersions(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:clearance:versions";
  }

  /** String counter: bumped atomically by every contact or clearance change of a prisoner; caches compare it. */
  public static String policyRevision(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:policy-rev";
  }

  /** Hash: change id -> committed change whose audit entry is not yet confirmed durable (the outbox). */
  public static String contactsOutbox(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:contacts-outbox";
  }

  /** String: a lease so only one node re-sends an outbox entry at a time. */
  public static String contactsOutboxLease(String prisonerId, String changeId) {
    return "kl:{p:" + prisonerId + "}:contacts-outbox-lease:" + changeId;
  }

  /** Sorted set: prisoners whose outbox may hold entries, scored by their last write (epoch ms). */
  public static final String CONTACTS_OUTBOX_INDEX = "kl:contacts-outbox-index";

  /** String: the first answer to a contacts write, by (actor, operation, target, Idempotency-Key) digest; 24 h. */
  public static String contactsIdempotency(String prisonerId, String digest) {
    return "kl:{p:" + prisonerId + "}:idem:contacts:" + digest;
  }

  /** String counter: calls on one contact on one day (Europe/London date), kept 15 days. */
  public static String usageCalls(String prisonerId, String contactId, String isoDate) {
    return "kl:{p:" + prisonerId + "}:usage:" + contactId + ":calls:" + isoDate;
  }

  /** String counter: messages one sender sent on one contact on one day (Europe/London date), kept 2 days. */
  public static String usageMessages(String prisonerId, String contactId, String senderId, String isoDate) {
    return "kl:{p:" + prisonerId + "}:usage:" + contactId + ":msgs:" + senderId + ":" + isoDate;
  }

  /** Pub/sub channel: contact and clearance changes, so every node drops its cached copy. */
  public static final String CONTACT_CHANGES_CHANNEL = "kl:events:contacts";
}
