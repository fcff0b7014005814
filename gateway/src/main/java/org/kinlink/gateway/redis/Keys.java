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

  // --- audit ---
  // Every audit key shares one hash tag (the namespace), so the append script's keys sit in one
  // cluster slot. Production uses AUDIT; tests use their own kl:{audit-<uuid>} chains.

  /** Namespace of the production audit chain. */
  public static final String AUDIT = "kl:{audit}";

  /** Hash {seq, hash, at}: the chain head every append compares-and-sets. */
  public static String auditHead(String ns) {
    return ns + ":head";
  }

  /** Hash seq -> stored entry (canonical JSON + prev_hash + hash). */
  public static String auditEntries(String ns) {
    return ns + ":entries";
  }

  /** Sorted set seq scored by the entry's time in epoch millis (times never go backwards along the chain). */
  public static String auditTime(String ns) {
    return ns + ":time";
  }

  /** Sorted set of the seqs one establishment's security staff may read (score = seq). */
  public static String auditByEstablishment(String ns, String establishment) {
    return ns + ":est:" + establishment;
  }

  /** Sorted set of the seqs about one prisoner (score = seq). */
  public static String auditByPrisoner(String ns, String prisonerId) {
    return ns + ":prisoner:" + prisonerId;
  }

  /** Sorted set of the seqs about one contact (score = seq). */
  public static String auditByContact(String ns, String contactId) {
    return ns + ":contact:" + contactId;
  }

  /** Sorted set of signed checkpoints (score = seq, member = checkpoint JSON). */
  public static String auditCheckpoints(String ns) {
    return ns + ":checkpoints";
  }

  /** Hash key id -> Ed25519 public key (base64): the checkpoint keys every node and the CLI verify with. */
  public static String auditKeys(String ns) {
    return ns + ":keys";
  }
}
