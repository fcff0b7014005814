package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.contacts.ContactsService;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.realtime.TestSocket;
import org.kinlink.gateway.support.KinlinkExtension;

/** A restriction change made on node A ends, within a second, a call whose signalling node B carries. */
class CallsAcrossNodesTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aSuspensionOnNodeAEndsACallSignalledThroughNodeBWithinASecond() {
    List<Gateway> nodes = kinlink.nodes(2);
    Gateway a = nodes.get(0);
    Gateway b = nodes.get(1);
    List<Long> millis = new ArrayList<>();
    for (int run = 0; run < 5; run++) {
      CallsFixture f = new CallsFixture(a, kinlink.client(), kinlink.clock());
      SignedIn mother = f.m.mother();
      SignedIn carer = f.m.person(PersonKind.CARER);
      String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
      String id = f.booked(mother.token(), contact, f.in(Duration.ofMinutes(5)), 30).getString("id");
      f.at(f.in(Duration.ofMinutes(5)));
      try (TestSocket m = CallsFixture.inCall(kinlink.vertx(), b, mother.token(), f.joined(mother.token(), id));
           TestSocket c = CallsFixture.inCall(kinlink.vertx(), b, carer.token(), f.joined(carer.token(), id))) {
        m.next(fr -> "call.state".equals(fr.getString("type")) && "LIVE".equals(fr.getString("state")));
        // the signalling really goes through node B: the carer's offer reaches the mother
        CallsFixture.signal(c, id, mother.id(), "c1");
        assertEquals("v=0 test c1", m.next("call.signal").getJsonObject("data").getString("sdp"));

        Principal social = new Principal("test-admin", Role.ADMIN, f.m.auth.est, null, "test");
        long t0 = System.nanoTime();
        Gateway.await(a.services().contacts().service().transition(social, contact, ContactsService.Transition.SUSPEND,
            new JsonObject().put("reason", "Disclosure during the call"), null, null));
        for (TestSocket s : List.of(m, c)) {
          JsonObject ended = s.next(fr -> "call.state".equals(fr.getString("type")) && "ENDED".equals(fr.getString("state")));
          assertEquals("ENDED_BY_POLICY", ended.getString("why"));
          assertEquals("This call cannot continue.", ended.getString("why_text"));
        }
        long took = (System.nanoTime() - t0) / 1_000_000;
        millis.add(took);
        assertTrue(took < 1000, "ended after " + took + " ms");
        org.kinlink.gateway.support.Eventually.await("the end is audited", Duration.ofSeconds(5), () -> !f.audit("call.end").isEmpty());
        JsonObject entry = f.audit("call.end").get(0);
        assertEquals("ENDED_BY_POLICY", entry.getString("outcome"));
        assertTrue(entry.getJsonObject("details").getString("reason").contains("CONTACT_NOT_APPROVED"), entry.encode());
      }
    }
    millis.sort(null);
    System.out.println("[figure] suspension on node A -> both participants on node B told ENDED: " + millis + " ms");
  }
}
