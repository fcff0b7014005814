package org.kinlink.policy.rules;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Europe/London wall-clock arithmetic, choosing the safer instant where daylight-saving makes a
 * wall-clock time ambiguous: a window starts at the later of two possible instants and ends at the
 * earlier; a time skipped by the spring change maps to the moment the clocks jump.
 */
public final class London {
    /** The zone all policy times are in. */
    public static final ZoneId ZONE = ZoneId.of("Europe/London");
    private static final ZoneRules RULES = ZONE.getRules();

    private London() {
    }

    /** The London date of an instant. */
    public static LocalDate date(Instant at) {
        return LocalDate.ofInstant(at, ZONE);
    }

    /** The London day of the week of an instant. */
    public static DayOfWeek day(Instant at) {
        return date(at).getDayOfWeek();
    }

    /** The first instant of a London date. */
    public static Instant startOfDay(LocalDate date) {
        return date.atStartOfDay(ZONE).toInstant();
    }

    /** The instant a window opening at this wall-clock time opens (later choice when ambiguous). */
    public static Instant opening(LocalDate date, LocalTime time) {
        return resolve(LocalDateTime.of(date, time), true);
    }

    /** The instant a window closing at this wall-clock time closes (earlier choice when ambiguous). */
    public static Instant closing(LocalDate date, LocalTime time) {
        return resolve(LocalDateTime.of(date, time), false);
    }

    private static Instant resolve(LocalDateTime local, boolean later) {
        ZoneOffsetTransition transition = RULES.getTransition(local);
        if (transition == null) {
            return local.atZone(ZONE).toInstant();
        }
        if (transition.isGap()) {
            return transition.getInstant();
        }
        return local.toInstant(later ? transition.getOffsetAfter() : transition.getOffsetBefore());
    }

    /** "HH:mm" London time of an instant, for texts. */
    public static String clock(Instant at) {
        LocalTime t = LocalTime.ofInstant(at, ZONE);
        int h = t.getHour();
        int m = t.getMinute();
        return new String(new char[] {(char) ('0' + h / 10), (char) ('0' + h % 10), ':',
            (char) ('0' + m / 10), (char) ('0' + m % 10)});
    }

    /**
     * ISO-8601 with the London offset, for texts and JSON, e.g. 2026-05-04T15:00:00+01:00. Hand-built
     * because decisions format times on the hot path and DateTimeFormatter is comparatively slow.
     */
    public static String iso(Instant at) {
        ZoneOffset offset = RULES.getOffset(at);
        LocalDateTime local = LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), offset);
        StringBuilder sb = new StringBuilder(25);
        LocalDate d = local.toLocalDate();
        sb.append(d.getYear()).append('-');
        two(sb, d.getMonthValue()).append('-');
        two(sb, d.getDayOfMonth()).append('T');
        two(sb, local.getHour()).append(':');
        two(sb, local.getMinute()).append(':');
        two(sb, local.getSecond());
        return sb.append(offset.getTotalSeconds() == 0 ? "Z" : offset.getId()).toString();
    }

    private static StringBuilder two(StringBuilder sb, int value) {
        return sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
