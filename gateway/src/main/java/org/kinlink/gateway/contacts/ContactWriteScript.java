package org.kinlink.gateway.contacts;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/** {@code lua/contacts-write.lua}: every key and argument named and typed, in one place. */
final class ContactWriteScript {
  static final LuaScript SCRIPT = LuaScript.load("contacts-write");

  /** What happens to the prisoner's one-live-contact-per-party key. */
  enum PartyClaim {
    /** This contact takes the party (a new contact, or a proposal matched to a person): DUPLICATE if another holds it. */
    CLAIM,
    /** This contact gives the party up (revoked): a new contact with the party may be made. */
    RELEASE,
    /** Untouched (clearance, or a change that keeps the party). */
    NONE
  }

  /**
   * The keys of one write, all in the prisoner's slot.
   *
   * @param idempotency the answer's key ({@code Keys.contactsIdempotency}), or a placeholder when the client sent none
   * @param party the party key ({@code Keys.contactParty}), or a placeholder when untouched
   */
  record Keyset(String record, String versions, String revision, String outbox, String idempotency, String index,
      String party) {
    String[] array() {
      return new String[] {record, versions, revision, outbox, idempotency, index, party};
    }
  }

  /** The keys of a write to this record of this prisoner; {@code partyId} and {@code idemDigest} may be null. */
  static Keyset keys(String prisonerId, String recordKey, String versionsKey, String idemDigest, String partyId) {
    return new Keyset(recordKey, versionsKey, Keys.policyRevision(prisonerId), Keys.contactsOutbox(prisonerId),
        Keys.contactsIdempotency(prisonerId, idemDigest == null ? "none" : idemDigest),
        Keys.prisonerContacts(prisonerId), Keys.contactParty(prisonerId, partyId == null ? "-" : partyId));
  }

  /** The script's answer. */
  sealed interface Result {
    record Ok(int version, long revision) implements Result {}

    record Stale(int current) implements Result {}

    record Missing() implements Result {}

    record Exists() implements Result {}

    record Replay(String answer) implements Result {}

    record Duplicate(String contactId) implements Result {}
  }

  private final Redis redis;

  ContactWriteScript(Redis redis) {
    this.redis = redis;
  }

  /**
   * @param answer the stored first answer, or null when the client sent no Idempotency-Key
   * @param indexMember for a create: the contact id added to the prisoner's index at {@code indexScore}
   * @param fields the record hash, alternating names and values
   */
  Future<Result> run(Keyset keys, VersionedWrites.Mode mode, int expectedVersion, String versionEntry, String changeId,
      String outboxEntry, String answer, long idemTtlSeconds, long indexScore, String indexMember, PartyClaim claim,
      String contactId, List<String> fields) {
    List<String> args = new ArrayList<>(List.of(mode.name().toLowerCase(Locale.ROOT), Integer.toString(expectedVersion),
        versionEntry, changeId, outboxEntry, answer == null ? "" : answer, Long.toString(idemTtlSeconds),
        Long.toString(indexScore), indexMember == null ? "" : indexMember,
        claim == PartyClaim.NONE ? "" : claim.name().toLowerCase(Locale.ROOT), contactId == null ? "" : contactId));
    args.addAll(fields);
    return redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys.array(), args.toArray(String[]::new))
        .map(r -> {
          String status = String.valueOf(r.get(0));
          String value = String.valueOf(r.get(1));
          return switch (status) {
            case "OK" -> new Result.Ok(Integer.parseInt(value), Long.parseLong(String.valueOf(r.get(2))));
            case "STALE" -> new Result.Stale(Integer.parseInt(value));
            case "MISSING" -> new Result.Missing();
            case "EXISTS" -> new Result.Exists();
            case "REPLAY" -> new Result.Replay(value);
            case "DUPLICATE" -> new Result.Duplicate(value);
            default -> throw new IllegalStateException("unexpected write result " + status);
          };
        });
  }
}
