package org.kinlink.gateway.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How an entry is written down. The <em>canonical</em> object has the members {@code seq},
 * {@code at} (ISO-8601 UTC, millisecond precision), {@code action}, {@code actor_id},
 * {@code actor_role}, {@code establishment}, {@code prisoner_id}, {@code contact_id},
 * {@code outcome} and {@code details} (absent when null), encoded by {@link CanonicalJson}.
 * The <em>stored</em> record (in Redis and in API answers) is the canonical object plus
 * {@code prev_hash} and {@code hash}, so anyone holding an export can recompute the chain.
 */
public final class AuditCodec {
  static final String PREV_HASH = "prev_hash";
  static final String HASH = "hash";

  private AuditCodec() {}

  /** The canonical object of an event at a position in the chain. */
  public static JsonObject canonical(long seq, Instant at, AuditEvent event) {
    return new JsonObject()
        .put("seq", seq)
        .put("at", at.truncatedTo(ChronoUnit.MILLIS).toString())
        .put("action", event.action())
        .put("actor_id", event.actorId())
        .put("actor_role", event.actorRole())
        .put("establishment", event.establishment())
        .put("prisoner_id", event.prisonerId())
        .put("contact_id", event.contactId())
        .put("outcome", event.outcome())
        .put("details", event.details());
  }

  /** Links an event into the chain after {@code prevHash}. */
  public static AuditEntry link(long seq, Instant at, AuditEvent event, String prevHash) {
    Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
    // the event is normalised through its canonical form so the entry equals what a reader decodes
    JsonObject built = canonical(seq, millis, event);
    String text = CanonicalJson.encode(built);
    // only an event with values that read back differently needs reading back
    JsonObject canonical = CanonicalJson.exact(built) ? built : new JsonObject(text);
    // the canonical text is a fixed point: encoding what it reads back as gives the same bytes
    String hash = ChainHash.of(prevHash, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new AuditEntry(seq, millis, eventOf(canonical), prevHash, hash);
  }

  /** The stored record of an entry. */
  public static JsonObject toJson(AuditEntry entry) {
    return new JsonObject(CanonicalJson.encode(canonical(entry.seq(), entry.at(), entry.event())
        .put(PREV_HASH, entry.prevHash())
        .put(HASH, entry.hash())));
  }

  /** The stored text of an entry, as kept in Redis. */
  public static String encode(AuditEntry entry) {
    // what toJson reads back, encoded again, is this same text (the canonical form is a fixed point)
    return CanonicalJson.encode(canonical(entry.seq(), entry.at(), entry.event())
        .put(PREV_HASH, entry.prevHash())
        .put(HASH, entry.hash()));
  }

  /** The canonical object inside a stored record (the record without its hashes). */
  public static JsonObject canonicalOf(JsonObject stored) {
    JsonObject copy = stored.copy();
    copy.remove(PREV_HASH);
    copy.remove(HASH);
    return copy;
  }

  /**
   * Decodes a stored record; throws {@link IllegalArgumentException} when it is not one
   * (the verifier reports that as an altered entry).
   */
  public static AuditEntry decode(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    return fromJson(json);
  }

  /** Reads a stored record. */
  public static AuditEntry fromJson(JsonObject json) {
    try {
      Number seq = json.getNumber("seq");
      String at = json.getString("at");
      if (seq == null || at == null || json.getString("action") == null || json.getString("outcome") == null) {
        throw new IllegalArgumentException("seq, at, action or outcome missing");
      }
      return new AuditEntry(seq.longValue(), Instant.parse(at), eventOf(json), json.getString(PREV_HASH),
          json.getString(HASH));
    } catch (ClassCastException | DateTimeParseException e) {
      throw new IllegalArgumentException("malformed entry: " + e.getMessage(), e);
    }
  }

  private static AuditEvent eventOf(JsonObject json) {
    return new AuditEvent(json.getString("action"), json.getString("actor_id"), json.getString("actor_role"),
        json.getString("establishment"), json.getString("prisoner_id"), json.getString("contact_id"),
        json.getString("outcome"), json.getJsonObject("details"));
  }

  /**
   * The establishments whose security staff may read an event: its own, plus any listed in a
   * {@code details.establishments} array (inter-establishment calls are visible to both).
   */
  public static Set<String> establishments(AuditEvent event) {
    Set<String> out = new LinkedHashSet<>();
    if (event.establishment() != null) {
      out.add(event.establishment());
    }
    Object listed = event.details().getValue("establishments");
    if (listed instanceof JsonArray array) {
      for (Object o : array) {
        if (o instanceof String s && !s.isBlank()) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
