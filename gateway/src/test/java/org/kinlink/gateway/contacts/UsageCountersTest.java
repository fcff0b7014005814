package org.kinlink.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.KinlinkExtension;

/** Usage counted per UK day and read back as this week / last 14 days / today. */
class UsageCountersTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Redis redis;
  static UsageCounters usage;

  @BeforeAll
  static void connect() {
    redis = kinlink.redis();
    usage = new UsageCounters(redis);
  }

  static Instant uk(LocalDate day, int hour, int minute) {
    return day.atTime(hour, minute).atZone(UsageCounters.LONDON).toInstant();
  }

  @Test
  void nothingCountedReadsAsZero() {
    String prisoner = "pr-T" + UUID.randomUUID();
    assertEquals(new UsageCounters.Usage(0, 0, 0, 0), Gateway.await(usage.forMessages(prisoner, "ct-none", "pr-X", kinlink.clock().instant())));
    assertEquals(new UsageCounters.Usage(0, 0, 0, 0), Gateway.await(usage.forCalls(prisoner, "ct-none", kinlink.clock().instant())));
  }

  @Test
  void callsCountByUkWeekAndFortnightMessagesByDayAndSender() {
    String prisoner = "pr-T" + UUID.randomUUID();
    String contact = "ct-" + UUID.randomUUID();
    // a Wednesday next week (counters expire two weeks after their day, so the days are near now)
    LocalDate wed = LocalDate.ofInstant(kinlink.clock().instant(), UsageCounters.LONDON).plusWeeks(1).with(DayOfWeek.WEDNESDAY);
    Instant wednesday = uk(wed, 10, 0);
    Gateway.await(usage.recordCall(prisoner, contact, "call-1", uk(wed.minusDays(2), 9, 0), 1)); // Monday this week
    Gateway.await(usage.recordCall(prisoner, contact, "call-2", uk(wed.plusDays(3), 13, 0), 1)); // Saturday, booked ahead
    Gateway.await(usage.recordCall(prisoner, contact, "call-3", uk(wed.minusDays(3), 23, 30), 1)); // Sunday 23:30 UK: last week
    Gateway.await(usage.recordCall(prisoner, contact, "call-4", uk(wed.minusDays(16), 11, 0), 1)); // 16 days before: neither
    Gateway.await(usage.recordCall(prisoner, contact, "call-5", uk(wed.minusDays(1), 11, 0), 1));
    Gateway.await(usage.recordCall(prisoner, contact, "call-5", uk(wed.minusDays(1), 11, 0), -1)); // cancelled
    Gateway.await(usage.recordMessage(prisoner, contact, "prisoner:X", "msg-1", wednesday));
    Gateway.await(usage.recordMessage(prisoner, contact, "prisoner:X", "msg-2", wednesday));
    Gateway.await(usage.recordMessage(prisoner, contact, "person:pe-y", "msg-3", wednesday));
    Gateway.await(usage.recordMessage(prisoner, contact, "prisoner:X", "msg-4", uk(wed.minusDays(1), 23, 59))); // Tuesday

    UsageCounters.Usage calls = Gateway.await(usage.forCalls(prisoner, contact, wednesday));
    assertEquals(2, calls.callsThisWeek(), "Monday and the booked Saturday");
    assertEquals(2, calls.callsLast14Days(), "Monday and last Sunday; not the future Saturday nor 16 days ago");
    assertEquals(2, Gateway.await(usage.forMessages(prisoner, contact, "prisoner:X", wednesday)).messagesToday(),
        "this sender's messages on this UK day");
    assertEquals(1, Gateway.await(usage.forMessages(prisoner, contact, "person:pe-y", wednesday)).messagesToday());
    assertEquals(0, Gateway.await(usage.forMessages(prisoner, contact, null, wednesday)).messagesToday(), "nobody's messages asked for");
  }

  @Test
  void aRetriedMessageOrBookingIsCountedOnce() {
    String prisoner = "pr-T" + UUID.randomUUID();
    String contact = "ct-" + UUID.randomUUID();
    Instant now = Instant.now();
    assertEquals(1L, Gateway.await(usage.recordMessage(prisoner, contact, "prisoner:X", "msg-1", now)));
    assertEquals(1L, Gateway.await(usage.recordMessage(prisoner, contact, "prisoner:X", "msg-1", now)), "a retry");
    assertEquals(2L, Gateway.await(usage.recordMessage(prisoner, contact, "prisoner:X", "msg-2", now)));
    assertEquals(1L, Gateway.await(usage.recordCall(prisoner, contact, "call-1", now, 1)));
    assertEquals(1L, Gateway.await(usage.recordCall(prisoner, contact, "call-1", now, 1)), "the booking retried");
    assertEquals(0L, Gateway.await(usage.recordCall(prisoner, contact, "call-1", now, -1)));
    assertEquals(0L, Gateway.await(usage.recordCall(prisoner, contact, "call-1", now, -1)), "the cancellation retried");
    assertEquals(2, Gateway.await(usage.forMessages(prisoner, contact, "prisoner:X", now)).messagesToday());
    assertEquals(0, Gateway.await(usage.forCalls(prisoner, contact, now)).callsThisWeek());
  }

  @Test
  void everyCounterAndItsCountedIdsExpireWhenTheirDayIsLongPastHoweverTheyWereWritten() {
    String prisoner = "pr-T" + UUID.randomUUID();
    String contact = "ct-" + UUID.randomUUID();
    Instant now = Instant.now();
    String day = LocalDate.ofInstant(now, UsageCounters.LONDON).toString();
    long twoDaysOn = LocalDate.ofInstant(now, UsageCounters.LONDON).plusDays(2).atStartOfDay(UsageCounters.LONDON).toEpochSecond();
    Gateway.await(usage.recordMessage(prisoner, contact, "pr-X", "msg-1", now));
    Gateway.await(usage.recordMessage(prisoner, contact, "pr-X", "msg-2", now));
    for (String key : java.util.List.of(org.kinlink.gateway.redis.Keys.usageMessages(prisoner, contact, "pr-X", day),
        org.kinlink.gateway.redis.Keys.usageCounted(prisoner, contact, day))) {
      long expiresAt = now.getEpochSecond() + Gateway.<Long>await(redis.call(c -> c.ttl(key)));
      assertEquals(twoDaysOn, expiresAt, 2, key + " is kept until two days after its day, not for ever");
    }
    // a cancellation with no booking before it resets the counter to 0, which drops a key's expiry: it is set again
    Gateway.await(usage.recordCall(prisoner, contact, "call-1", now, -1));
    String calls = org.kinlink.gateway.redis.Keys.usageCalls(prisoner, contact, day);
    assertEquals("0", Gateway.<String>await(redis.call(c -> c.get(calls))));
    long callsExpire = now.getEpochSecond() + Gateway.<Long>await(redis.call(c -> c.ttl(calls)));
    long fifteenDaysOn = LocalDate.ofInstant(now, UsageCounters.LONDON).plusDays(15).atStartOfDay(UsageCounters.LONDON).toEpochSecond();
    assertEquals(fifteenDaysOn, callsExpire, 2, "the reset counter still expires");
  }
}
