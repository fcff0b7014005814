package org.kinlink.gateway.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.kinlink.gateway.config.ConfigException;

/**
 * The key that wraps every data key kept at rest (envelope encryption): secrets are sealed with
 * {@link Aead} under a data key, and only the wrapped data key is stored beside them, so the master
 * key itself never reaches Redis.
 *
 * <p>It comes from {@code KINLINK_MASTER_KEY} (base64 of 32 bytes) when set, otherwise from
 * {@code <data-dir>/keys/master.key}, created once (directory 0700, file 0600). Whoever backs up
 * Redis without the data dir (or the variable) cannot read what it protects.
 *
 * <p>Wrapped form: {@code 0x01 || n || key id (n ASCII bytes) || Aead.seal(master, dataKey, aad')}
 * where {@code aad'} binds the key id and the caller's aad. Naming the key id lets a rotation find
 * what was wrapped by an older key and re-wrap it, and lets unwrap say plainly which key is missing.
 */
public final class MasterKey {
  public static final String ENV = "KINLINK_MASTER_KEY";
  private static final byte WRAP_VERSION = 1;

  /** Beside {@code master.key} while {@code kinlink admin rotate-master-key} runs: the key being replaced. */
  public static final String PREVIOUS_FILE = "master.key.previous";

  private final byte[] key;
  private final String keyId;
  /** The key a rotation is replacing: what it wrapped still opens until everything is re-wrapped. */
  private final MasterKey previous;

  private MasterKey(byte[] key, MasterKey previous) {
    this.key = key.clone();
    this.keyId = keyIdOf(key);
    this.previous = previous;
  }

  private MasterKey(byte[] key) {
    this(key, null);
  }

  /** This key, also opening what {@code older} wrapped (during a rotation); wraps with this one only. */
  public MasterKey withPrevious(MasterKey older) {
    return new MasterKey(key, older == null || older.keyId.equals(keyId) ? null : older);
  }

  /** Reads a key file (the base64 of 32 bytes); blocking. */
  public static MasterKey read(Path file) {
    try {
      return new MasterKey(decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the master key " + file, e);
    }
  }

  /** The raw key as its file holds it (base64 and a newline), for a rotation writing it. */
  public byte[] fileContent() {
    return (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The master key from the environment's value when given, else the data dir's key file (created
   * on first use). Blocking (file I/O): call at start, before the event loops run.
   *
   * @throws ConfigException when the given value or the file is not the base64 of 32 bytes
   */
  public static MasterKey loadOrCreate(Path dataDir, Optional<String> base64FromEnv) {
    if (base64FromEnv.isPresent() && !base64FromEnv.get().isBlank()) {
      return new MasterKey(decode(base64FromEnv.get(), ENV));
    }
    Path file = dataDir.resolve("keys").resolve("master.key");
    try {
      SecretFile.createOnce(file, (Base64.getEncoder().encodeToString(Aead.newKey()) + "\n").getBytes(StandardCharsets.US_ASCII));
      MasterKey current = read(file);
      Path previous = file.resolveSibling(PREVIOUS_FILE);
      // a rotation that has not finished: what the old key wrapped must still open
      return Files.exists(previous) ? current.withPrevious(read(previous)) : current;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the master key " + file, e);
    }
  }

  /** A master key from raw bytes (tests, and a rotation tool holding the old key). */
  public static MasterKey of(byte[] raw) {
    if (raw.length != Aead.KEY_BYTES) {
      throw new IllegalArgumentException("a master key is " + Aead.KEY_BYTES + " bytes");
    }
    return new MasterKey(raw);
  }

  private static byte[] decode(String base64, String where) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where, "is not valid base64; the master key is the base64 of 32 random bytes (openssl rand -base64 32)");
    }
    if (raw.length != Aead.KEY_BYTES) {
      throw new ConfigException(where, "decodes to " + raw.length + " bytes; the master key is the base64 of exactly 32 random bytes (openssl rand -base64 32)");
    }
    return raw;
  }

  /** 16 hex digits of SHA-256 of the key: names it in wrapped values and logs, reveals nothing usable. */
  public String keyId() {
    return keyId;
  }

  /** Wraps a data key (any length), binding {@code aad} (what the key is for), under this master key. */
  public byte[] wrap(byte[] dataKey, byte[] aad) {
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = Aead.seal(key, dataKey, boundAad(id, aad));
    ByteBuffer out = ByteBuffer.allocate(2 + id.length + sealed.length);
    out.put(WRAP_VERSION).put((byte) id.length).put(id).put(sealed);
    return out.array();
  }

  /**
   * Unwraps what {@link #wrap} made with this key and the same aad.
   *
   * @throws AeadException when it was wrapped by another master key (named), altered, or the aad differs
   */
  public byte[] unwrap(byte[] wrapped, byte[] aad) {
    String wrappedBy = idInWrapped(wrapped);
    if (previous != null && wrappedBy.equals(previous.keyId)) {
      return previous.unwrap(wrapped, aad);
    }
    if (!wrappedBy.equals(keyId)) {
      throw new AeadException("this data key was wrapped by master key " + wrappedBy
          + ", but the master key in use is " + keyId + "; start with the master key it was written with");
    }
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = Arrays.copyOfRange(wrapped, 2 + id.length, wrapped.length);
    return Aead.open(key, sealed, boundAad(id, aad));
  }

  /** The id of the master key that wrapped {@code wrapped} (for a rotation to find what to re-wrap). */
  public static String wrappedKeyId(byte[] wrapped) {
    return idInWrapped(wrapped);
  }

  private static String idInWrapped(byte[] wrapped) {
    if (wrapped == null || wrapped.length < 2 || wrapped[0] != WRAP_VERSION) {
      throw new AeadException("not a wrapped data key (unknown format)");
    }
    int n = wrapped[1] & 0xff;
    if (n == 0 || wrapped.length < 2 + n) {
      throw new AeadException("not a wrapped data key (truncated)");
    }
    return new String(wrapped, 2, n, StandardCharsets.US_ASCII);
  }

  private static byte[] boundAad(byte[] id, byte[] aad) {
    byte[] a = aad == null ? new byte[0] : aad;
    return ByteBuffer.allocate(1 + id.length + a.length).put((byte) id.length).put(id).put(a).array();
  }

  private static String keyIdOf(byte[] raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[" + keyId + "]";
  }
}
