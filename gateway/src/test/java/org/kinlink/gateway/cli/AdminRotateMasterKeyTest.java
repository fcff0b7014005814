package org.kinlink.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Base64;
import java.util.Optional;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.crypto.AeadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.GatewayProcess;
import org.kinlink.gateway.support.KinlinkExtension;

/** {@code kinlink admin rotate-master-key}: messages written under the old key still open under the new one. */
class AdminRotateMasterKeyTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aMessageSentBeforeTheRotationReadsOnANodeStartedWithOnlyTheNewKey() throws Exception {
    // the test JVM's key comes from KINLINK_MASTER_KEY: the old key; the new one is given in a file
    Gateway before = kinlink.start(kinlink.config());
    MessagingFixture f = new MessagingFixture(before, kinlink.client(before));
    before.services().messaging().randomHolds().setShare(0);
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", null);
    f.sent(mother, contact, "Tell Leo I love his drawing");
    before.close();

    String newKey = Base64.getEncoder().encodeToString(Aead.newKey());
    Path newKeyFile = Files.createTempFile("kinlink-new-key", ".b64");
    Files.writeString(newKeyFile, newKey + "\n");
    AdminCliTest.Run rotated = rotate(newKeyFile);
    assertEquals(0, rotated.exit(), rotated.out() + rotated.err());
    // the conversation's data key and the TOTP data key
    assertTrue(rotated.out().contains("re-wrapped: 2 data keys (0 already under the new key)"), rotated.out());
    assertTrue(rotated.out().contains("master key: " + MasterKey.of(Base64.getDecoder().decode(newKey)).keyId()), rotated.out());
    AdminCliTest.Run again = rotate(newKeyFile);
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("re-wrapped: 0 data keys (2 already under the new key)"), "idempotent: " + again.out());

    Map<String, String> entries = Gateway.await(kinlink.redis()
        .<Map<String, String>>call(c -> c.hgetall(Keys.auditEntries(Keys.AUDIT))));
    List<JsonObject> audited = entries.values().stream().map(JsonObject::new)
        .filter(e -> "master_key.rotate".equals(e.getString("action"))).toList();
    assertEquals(2, audited.size());
    assertTrue(audited.get(0).encode().contains("cli:" + System.getProperty("user.name")), audited.get(0).encode());

    // a node of its own process, knowing only the new key, opens the message written under the old one
    GatewayProcess node = GatewayProcess.start(kinlink.redisUrl(), Map.of(MasterKey.ENV, newKey));
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.uri("/api/v1/conversations/"
          + contact + "/messages")).header("Authorization", "Bearer " + carer.token()).build(), BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body() + node.log());
      assertEquals("Tell Leo I love his drawing",
          new JsonObject(r.body()).getJsonArray("items").getJsonObject(0).getString("body"));
    } finally {
      node.process.destroy();
      node.process.waitFor();
    }
  }

  @Test
  void aGatewayStartedMidRotationOpensWhatEitherKeyWrappedAndWrapsWithTheNewOne() throws Exception {
    Path dir = Files.createTempDirectory("kinlink-mid-rotation");
    MasterKey old = MasterKey.loadOrCreate(dir, Optional.empty());
    byte[] aad = "kinlink-conversation-key|c-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] wrappedByOld = old.wrap(Aead.newKey(), aad);
    // what the command leaves while it runs: the new key in place, the old one beside it
    Path keys = dir.resolve("keys");
    Files.move(keys.resolve("master.key"), keys.resolve(MasterKey.PREVIOUS_FILE));
    MasterKey fresh = MasterKey.of(Aead.newKey());
    Files.write(keys.resolve("master.key"), fresh.fileContent());
    MasterKey during = MasterKey.loadOrCreate(dir, Optional.empty());
    assertEquals(fresh.keyId(), during.keyId());
    assertEquals(32, during.unwrap(wrappedByOld, aad).length, "the old key's data keys still open");
    assertEquals(fresh.keyId(), MasterKey.wrappedKeyId(during.wrap(Aead.newKey(), aad)), "new ones are wrapped by the new key");
    Files.delete(keys.resolve(MasterKey.PREVIOUS_FILE));
    MasterKey after = MasterKey.loadOrCreate(dir, Optional.empty());
    AeadException e = org.junit.jupiter.api.Assertions.assertThrows(AeadException.class, () -> after.unwrap(wrappedByOld, aad));
    assertTrue(e.getMessage().contains(old.keyId()), "names the key it needs: " + e.getMessage());
  }

  private static AdminCliTest.Run rotate(Path newKeyFile) {
    return AdminCliTest.kinlink("admin", "rotate-master-key", "--redis", kinlink.redisUrl(), "--new-key-file",
        newKeyFile.toString());
  }
}
