package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.KinlinkExtension;

/** Two gateway nodes on one Redis: a suspension made through node A changes node B's next decision. */
class PolicyPropagationApiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static final Duration DEADLINE = Duration.ofSeconds(20);
  static Gateway a;
  static Gateway b;

  @BeforeAll
  static void start() {
    a = kinlink.nodes(2).get(0);
    b = kinlink.nodes(2).get(1);
  }

  @Test
  void aSuspensionOnNodeAChangesTheDecisionOnNodeB(Vertx vertx) throws InterruptedException {
    AuthFixture auth = new AuthFixture(a);
    ContactsFixture onA = new ContactsFixture(auth, AuthFixture.client(vertx, a));
    ContactsFixture onB = new ContactsFixture(auth, kinlink.client(b));
    String officer = auth.staffToken(onA.client, Role.OFFICER);
    var prisoner = auth.prisoner("2468");
    var carer = onA.personRecord(PersonKind.CARER);
    String id = onA.created(officer, prisoner.id(), carer.id(), "CARER",
        ContactsFixture.policy("PENDING", "CARER", "RECORDED", "MESSAGE", "VIDEO")).getString("id");
    onA.approved(officer, id);

    List<JsonObject> heardOnB = new CopyOnWriteArrayList<>();
    CompletableFuture<Long> suspensionHeard = new CompletableFuture<>();
    b.services().vertx().eventBus().<JsonObject>consumer(ContactEvents.CONTACT_CHANGED, m -> {
      heardOnB.add(m.body());
      if (id.equals(m.body().getString("contact_id")) && "SUSPENDED".equals(m.body().getString("state"))) {
        suspensionHeard.complete(System.nanoTime());
      }
    });
    JsonObject ask = new JsonObject().put("contact_id", id).put("action", "JOIN_CALL");
    // node B decides (and caches the prisoner's policies)
    assertEquals("PERMIT", effect(onB, officer, ask));
    assertEquals("PERMIT", effect(onB, officer, ask));

    long started = System.nanoTime();
    assertEquals(200, onA.transition(officer, id, "suspend", new JsonObject().put("reason", "disclosure during the call"))
        .statusCode());
    long acknowledged = System.nanoTime();
    long deadline = started + DEADLINE.toNanos();
    String effect;
    int polls = 0;
    do {
      effect = effect(onB, officer, ask);
      polls++;
    } while (!"DENY".equals(effect) && System.nanoTime() < deadline);
    long changed = System.nanoTime();
    assertEquals("DENY", effect, "node B decides on the new version within " + DEADLINE.toSeconds() + " s");
    long heard;
    try {
      heard = suspensionHeard.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      heard = System.nanoTime();
    }
    assertTrue(heardOnB.stream().anyMatch(e -> id.equals(e.getString("contact_id")) && e.getInteger("version") == 3
        && "SUSPENDED".equals(e.getString("state")) && prisoner.id().equals(e.getString("prisoner_id"))),
        "node B raises kinlink.contact.changed for whatever runs there (live calls, held messages)");
    System.out.printf("propagation A->B: suspend acknowledged by A after %.1f ms; B's first decision after that was DENY "
            + "(%d poll(s), %.1f ms from the request); B's local event after %.1f ms%n",
        (acknowledged - started) / 1e6, polls, (changed - started) / 1e6, (heard - started) / 1e6);
  }

  private static String effect(ContactsFixture f, String token, JsonObject ask) {
    var r = f.evaluate(token, ask);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonObject("decision").getString("effect");
  }
}
