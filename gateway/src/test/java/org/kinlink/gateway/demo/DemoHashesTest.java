package org.kinlink.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.crypto.SecretHasher;

class DemoHashesTest {
  @Test
  void everyShippedHashVerifiesItsDemoSecretAndNoOther() {
    List<String> secrets = new ArrayList<>();
    DemoData.KIOSK_LOGINS.forEach(k -> secrets.add(k.pin()));
    DemoData.PASSWORD_LOGINS.forEach(p -> secrets.add(p.password()));
    assertEquals(secrets.size(), DemoHashes.IN_LOGIN_ORDER.size(), "one hash per demo sign-in");
    SecretHasher hasher = new SecretHasher();
    for (int i = 0; i < secrets.size(); i++) {
      String hash = DemoHashes.IN_LOGIN_ORDER.get(i);
      assertTrue(hasher.verifyNow(hash, secrets.get(i)), "hash " + i + " is of " + secrets.get(i));
      String other = secrets.get((i + 1) % secrets.size());
      assertTrue(other.equals(secrets.get(i)) || !hasher.verifyNow(hash, other), "hash " + i + " is not of " + other);
    }
  }
}
