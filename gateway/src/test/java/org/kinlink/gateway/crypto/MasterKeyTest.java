package org.kinlink.gateway.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinlink.gateway.config.ConfigException;

class MasterKeyTest {
  private static final byte[] AAD = "kl:totp:data-key".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dataDir;

  @Test
  void theKeyFileIsCreatedOnceOwnerOnlyAndReadBackTheSame() throws IOException {
    MasterKey first = MasterKey.loadOrCreate(dataDir, Optional.empty());
    Path file = dataDir.resolve("keys/master.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals(32, Base64.getDecoder().decode(Files.readString(file).trim()).length);

    MasterKey again = MasterKey.loadOrCreate(dataDir, Optional.empty());
    assertEquals(first.keyId(), again.keyId());
    assertTrue(first.keyId().matches("[0-9a-f]{16}"), first.keyId());
    byte[] dataKey = Aead.newKey();
    assertArrayEquals(dataKey, again.unwrap(first.wrap(dataKey, AAD), AAD));
  }

  @Test
  void theEnvironmentsKeyWinsOverTheFileAndAWrongOneNamesTheVariable() {
    byte[] raw = Aead.newKey();
    MasterKey fromEnv = MasterKey.loadOrCreate(dataDir, Optional.of(Base64.getEncoder().encodeToString(raw)));
    assertEquals(MasterKey.of(raw).keyId(), fromEnv.keyId());
    assertFalse(Files.exists(dataDir.resolve("keys/master.key")), "no file is written when the key comes from the environment");

    ConfigException shortKey = assertThrows(ConfigException.class,
        () -> MasterKey.loadOrCreate(dataDir, Optional.of(Base64.getEncoder().encodeToString(new byte[16]))));
    assertEquals("KINLINK_MASTER_KEY", shortKey.setting());
    assertTrue(shortKey.getMessage().contains("16 bytes"), shortKey.getMessage());
    assertThrows(ConfigException.class, () -> MasterKey.loadOrCreate(dataDir, Optional.of("not base64!")));
  }

  @Test
  void aWrappedKeyNamesItsMasterKeyAndAnotherMasterKeyCannotUnwrapIt() {
    MasterKey old = MasterKey.of(Aead.newKey());
    MasterKey current = MasterKey.of(Aead.newKey());
    assertNotEquals(old.keyId(), current.keyId());
    byte[] dataKey = Aead.newKey();
    byte[] wrapped = old.wrap(dataKey, AAD);
    assertEquals(old.keyId(), MasterKey.wrappedKeyId(wrapped));

    AeadException e = assertThrows(AeadException.class, () -> current.unwrap(wrapped, AAD));
    assertTrue(e.getMessage().contains(old.keyId()) && e.getMessage().contains(current.keyId()), e.getMessage());

    // what a rotation does: unwrap with the old key, wrap with the new one
    byte[] rewrapped = current.wrap(old.unwrap(wrapped, AAD), AAD);
    assertArrayEquals(dataKey, current.unwrap(rewrapped, AAD));
  }

  @Test
  void aTamperedWrappedKeyOrAnotherAadIsRefused() {
    MasterKey key = MasterKey.of(Aead.newKey());
    byte[] wrapped = key.wrap(Aead.newKey(), AAD);
    for (int i = 0; i < wrapped.length; i++) {
      byte[] tampered = wrapped.clone();
      tampered[i] ^= 0x01;
      assertThrows(AeadException.class, () -> key.unwrap(tampered, AAD), "byte " + i);
    }
    assertThrows(AeadException.class, () -> key.unwrap(wrapped, "kl:other".getBytes(StandardCharsets.UTF_8)));
    assertThrows(AeadException.class, () -> key.unwrap(new byte[] {1}, AAD));
  }
}
