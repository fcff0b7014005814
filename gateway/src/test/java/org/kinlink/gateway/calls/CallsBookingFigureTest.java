package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.messaging.MessagingFixture.SignedIn;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.KinlinkExtension;

/** How long a booking takes end to end (decision, per-slot places, record with its audit entry, append): prints FIGURE. */
class CallsBookingFigureTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void bookingLatency() {
    CallsFixture f = new CallsFixture(kinlink.gateway(), kinlink.client(), kinlink.clock());
    SignedIn mother = f.m.mother();
    SignedIn carer = f.m.person(PersonKind.CARER);
    String contact = f.m.contact(mother.id(), carer.id(), "CARER", null);
    List<Long> micros = new ArrayList<>();
    int n = 0;
    for (int day = 0; day < 6; day++) {
      for (int slot = 0; slot < 18; slot++) {
        Instant start = f.in(Duration.ofDays(day).plusMinutes(30 + 30L * slot));
        long t0 = System.nanoTime();
        assertEquals(201, f.book(mother.token(), contact, start, 25).statusCode());
        micros.add((System.nanoTime() - t0) / 1000);
        n++;
      }
    }
    List<Long> warm = new ArrayList<>(micros.subList(10, micros.size()));
    Collections.sort(warm);
    System.out.printf("FIGURE call booking over HTTP: %d bookings, p50 %.1f ms, p99 %.1f ms%n", n,
        warm.get(warm.size() / 2) / 1000.0, warm.get((int) (warm.size() * 0.99)) / 1000.0);
  }
}
