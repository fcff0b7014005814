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
   * Usage a call decision needs at {@code at}: calls this UK week and in the last 14 days (messages
   * read as 0: no rule counts them for a call).
   */
  public Future<Usage> forCalls(String prisonerId, String contactId, Instant at) {
    return read(prisonerId, contactId, null, at, true);
  }

  /**
   * Usage a message decision needs at {@code at}: the messages {@code senderId} (the sender's gateway
   * id, {@code pr-...} or {@code pe-...}) sent today; null when none count (another prisoner's
   * contact on an inter-prison thread). Calls read as 0: no rule counts them for a message, and
   * their 14 to 20 daily counters are most of a call read.
   */
  public Future<Usage> forMessages(String prisonerId, String contactId, String senderId, Instant at) {
    return read(prisonerId, contactId, senderId, at, false);
  }

  private Future<Usage> read(String prisonerId, String contactId, String senderId, Instant at, boolean calls) {
    LocalDate day = LocalDate.ofInstant(at, LONDON);
    LocalDate monday = day.with(DayOfWeek.MONDAY);
    List<LocalDate> days = calls ? callDays(day, monday) : List.of();
    List<String> keys = new ArrayList<>(2 + days.size());
    keys.add(Keys.policyRevision(prisonerId));
    if (senderId != null) {
      keys.add(Keys.usageMessages(prisonerId, contactId, senderId, day.toString()));
    }
    int firstDay = keys.size();
    days.forEach(d -> keys.add(Keys.usageCalls(prisonerId, contactId, d.toString())));
    String[] array = keys.toArray(String[]::new);
    return redis.<List<KeyValue<String, String>>>call(c -> c.mget(array)).map(values -> {
      long revision = number(values.get(0));
      int messages = senderId == null ? 0 : (int) number(values.get(1));
      int week = 0;
      int fortnight = 0;
      for (int i = 0; i < days.size(); i++) {
        int counted = (int) number(values.get(firstDay + i));
        LocalDate d = days.get(i);
        if (!d.isBefore(monday)) {
          week += counted;
        }
        if (!d.isBefore(day.minusDays(13)) && !d.isAfter(day)) {
          fortnight += counted;
        }
      }
      return new Usage(week, fortnight, messages, revision);
    });
  }

  /** The days whose call counters a call decision reads: this UK week and the 13 days before today. */
  private static List<LocalDate> callDays(LocalDate day, LocalDate monday) {
    LocalDate first = monday.isBefore(day.minusDays(13)) ? monday : day.minusDays(13);
    return first.datesUntil(monday.plusDays(7)).toList();
  }

  /**
   * Counts message {@code messageId} sent by {@code senderId} (gateway id, as in {@link #forMessages}) at
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
