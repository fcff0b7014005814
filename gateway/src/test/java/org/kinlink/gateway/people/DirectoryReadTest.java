package org.kinlink.gateway.people;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.KinlinkExtension;

/** A record kept parsed on one node is never served once another node has changed it. */
class DirectoryReadTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aTransferMadeElsewhereIsSeenByTheVeryNextRead() {
    Directory here = new Directory(kinlink.redis());
    java.util.Random random = new java.util.Random();
    String number = "T" + String.format("%04d", random.nextInt(10000)) + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
    Prisoner p = new Prisoner(PrisonNumber.prisonerId(number), number, "Transfer Test", "est-from", Clearance.FULL,
        EnumSet.noneOf(PrisonerFlag.class), null, Instant.parse("2026-12-01T10:00:00Z"));
    Gateway.await(here.createPrisoner(p));
    Prisoner first = Gateway.await(here.prisoner(p.id())).orElseThrow();
    assertSame(first, Gateway.await(here.prisoner(p.id())).orElseThrow(), "unchanged text: parsed once");

    // another node moves her: its write is all this node sees of it
    JsonObject moved = new JsonObject(Gateway.await(kinlink.redis().<String>call(c -> c.get(Keys.dirRecord("prisoner", p.id())))))
        .put("establishment", "est-to");
    Gateway.await(kinlink.redis().<String>call(c -> c.set(Keys.dirRecord("prisoner", p.id()), moved.encode())));
    assertEquals("est-to", Gateway.await(here.prisoner(p.id())).orElseThrow().establishment());
  }
}
