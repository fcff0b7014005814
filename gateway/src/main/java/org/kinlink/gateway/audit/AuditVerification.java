package org.kinlink.gateway.audit;

import io.vertx.core.json.JsonObject;

/**
 * What {@link AuditVerifier} found.
 *
 * @param ok true only when every entry, link and checkpoint checked out
 * @param entries how many entries the chain holds (its head seq)
 * @param lastCheckpoint the newest checkpoint whose signature and hash both checked out, or null
 * @param firstBad the lowest-numbered problem, or null when ok
 */
public record AuditVerification(boolean ok, long entries, AuditCheckpoint lastCheckpoint, Problem firstBad) {

  /** Kinds of problem, as named in answers and by the CLI. */
  public enum Kind {
    /** An entry's content no longer matches its hash, or the hash the next entry links to. */
    ALTERED,
    /** No entry at a position below the head. */
    MISSING,
    /** A position holds another entry (entries swapped or moved). */
    OUT_OF_ORDER,
    /** A checkpoint's signature does not verify. */
    BAD_SIGNATURE,
    /** A checkpoint is signed by a key no node published. */
    UNKNOWN_KEY,
    /** A validly signed checkpoint names a different hash than the chain has at its seq. */
    CHECKPOINT_MISMATCH,
    /** The chain ends before a signed checkpoint: entries after it were cut off. */
    TRUNCATED,
    /** Entries are stored beyond the head, outside the chain. */
    UNLINKED;

    /** Lower-case name used in JSON, e.g. {@code out_of_order}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One problem: the first bad seq, what is wrong, and a sentence for people. Its JSON also carries
   * the audit list's cursor for the page that starts at that entry, so a reader can open it.
   */
  public record Problem(long seq, Kind kind, String detail) {
    public JsonObject toJson() {
      return new JsonObject().put("seq", seq).put("problem", kind.label()).put("detail", detail)
          .put("audit_cursor", org.kinlink.gateway.http.Cursor.encode(Long.toString(Math.max(0, seq - 1))));
    }
  }

  /** The API answer {@code {ok, entries, last_checkpoint, first_bad}}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("ok", ok)
        .put("entries", entries)
        .put("last_checkpoint", lastCheckpoint == null ? null : lastCheckpoint.toJson())
        .put("first_bad", firstBad == null ? null : firstBad.toJson());
  }

  /** One line for the CLI. */
  public String summary() {
    String cp = lastCheckpoint == null ? "no verified checkpoint"
        : "last checkpoint at entry " + lastCheckpoint.seq() + " (key " + lastCheckpoint.keyId() + ")";
    String count = entries + (entries == 1 ? " entry" : " entries");
    if (ok) {
      return "audit chain OK: " + count + ", " + cp;
    }
    return "audit chain BROKEN at entry " + firstBad.seq() + " (" + firstBad.kind().label() + "): "
        + firstBad.detail() + "; " + count + ", " + cp;
  }
}
