package org.kinlink.gateway.contacts;

import io.lettuce.core.KeyValue;
import io.vertx.core.Future;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * How much a contact has used, counted per day (Europe/London) in the prisoner's slot by whoever
 * sends messages or books calls, and read by decisions (zeros when nothing was counted). The read
 * also returns the prisoner's policy revision, in the same round trip, so a decision can check its
 * cached policies are current at no extra cost.
 */
public final class UsageCounters {
  /** The zone limits are counted in: docs/domain.md's days and weeks are UK days and weeks. */
  public static final ZoneId LONDON = ZoneId.of("Europe/London");

  /**
   * Usage so far, not counting the action being decided.
   *
   * @param callsThisWeek calls on days Monday to Sunday of the moment's week
   * @param callsLast14Days calls on the moment's day and the 13 days before
   * @param messagesToday messages the sender sent on the moment's day
   * @param revision the prisoner's policy revision, read in the same command
   */
  public record Usage(int callsThisWeek, int callsLast14Days, int messagesToday, long revision) {}

  private final Redis redis;
  private final UsageAddScript add;

  public UsageCounters(Redis redis) {
    this.redis = redis;
    this.add = new UsageAddScript(redis);
  }

  /**
   * Reads usage at {@code at} for messages sent by {@code senderId}: the sender's engine party id
   * ({@link PartyIds}: {@code prisoner:A1234BC}, {@code person:pe-carer}); null when only calls matter.
   */
  public Future<Usage> read(String prisonerId, String contactId, String senderId, Instant at) {
    LocalDate day = LocalDate.ofInstant(at, LONDON);
    LocalDate monday = day.with(DayOfWeek.MONDAY);
    LocalDate first = monday.isBefore(day.minusDays(13)) ? monday : day.minusDays(13);
    LocalDate last = monday.plusDays(6);
    List<LocalDate> days = first.datesUntil(last.plusDays(1)).toList();
    List<String> keys = new ArrayList<>();
    keys.add(Keys.policyRevision(prisonerId));
    keys.add(senderId == null ? Keys.policyRevision(prisonerId) : Keys.usageMessages(prisonerId, contactId, senderId, day.toString()));
    days.forEach(d -> keys.add(Keys.usageCalls(prisonerId, contactId, d.toString())));
    String[] array = keys.toArray(String[]::new);
    return redis.<List<KeyValue<String, String>>>call(c -> c.mget(array)).map(values -> {
      long revision = number(values.get(0));
      int messages = senderId == null ? 0 : (int) number(values.get(1));
      int week = 0;
      int fortnight = 0;
      for (int i = 0; i < days.size(); i++) {
        int calls = (int) number(values.get(i + 2));
        LocalDate d = days.get(i);
        if (!d.isBefore(monday)) {
          week += calls;
        }
        if (!d.isBefore(day.minusDays(13)) && !d.isAfter(day)) {
          fortnight += calls;
        }
      }
      return new Usage(week, fortnight, messages, revision);
    });
  }

  /**
   * Counts message {@code messageId} sent by {@code senderId} (engine party id, as in {@link #read}) at
   * {@code at}, once: counting the same message again (a retry) changes nothing. Answers today's count.
   */
  public Future<Long> recordMessage(String prisonerId, String contactId, String senderId, String messageId, Instant at) {
    LocalDate day = LocalDate.ofInstant(at, LONDON);
    return count(Keys.usageMessages(prisonerId, contactId, senderId, day.toString()), prisonerId, contactId, day,
        "message:" + messageId, 1, day.plusDays(2));
  }

  /**
   * Counts call {@code callId} on the day it starts, once per direction: {@code +1} when booked, {@code -1}
   * when that booking is cancelled; a repeat of either is not counted again. Answers that day's count.
   */
  public Future<Long> recordCall(String prisonerId, String contactId, String callId, Instant start, int amount) {
    if (amount != 1 && amount != -1) {
      throw new IllegalArgumentException("a call counts +1 (booked) or -1 (cancelled), not " + amount);
    }
    LocalDate day = LocalDate.ofInstant(start, LONDON);
    return count(Keys.usageCalls(prisonerId, contactId, day.toString()), prisonerId, contactId, day,
        "call:" + callId + (amount > 0 ? ":booked" : ":cancelled"), amount, day.plusDays(15));
  }

  private Future<Long> count(String key, String prisonerId, String contactId, LocalDate day, String eventId, int amount,
      LocalDate keepUntil) {
    long expireAt = keepUntil.atStartOfDay(LONDON).toEpochSecond();
    return add.add(key, Keys.usageCounted(prisonerId, contactId, day.toString()), eventId, amount, expireAt);
  }

  private static long number(KeyValue<String, String> kv) {
    return kv.hasValue() ? Long.parseLong(kv.getValue()) : 0L;
  }
}
