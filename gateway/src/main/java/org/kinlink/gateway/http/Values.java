package org.kinlink.gateway.http;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The one place request text becomes a time or a length of time. {@code java.time} accepts values
 * (year -999999999, {@code PT9999999999999H}) that overflow as soon as they are turned into
 * milliseconds, so every value is bounded here, where the client can still be told which field it was.
 */
public final class Values {
  /** Earliest and latest moments anyone can mean: years 1 to 9999, as ISO-8601 writes them without a sign. */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private Values() {}

  /**
   * An ISO-8601 date-time with offset ({@code 2025-01-31T09:00:00Z}) or a date ({@code 2025-01-31},
   * its start in UTC), in years 1 to 9999; otherwise {@link IllegalArgumentException} with a message
   * to follow the field's name.
   */
  public static Instant instant(String text) {
    Instant at;
    try {
      at = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        at = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw new IllegalArgumentException("must be a date-time such as 2025-01-31T09:00:00Z or a date such as 2025-01-31");
      }
    }
    if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
      throw new IllegalArgumentException("must be between the years 1 and 9999");
    }
    return at;
  }

  /** A positive ISO-8601 duration ({@code PT30M}) of at most {@code max}, or 400 naming {@code field}. */
  public static Duration duration(String text, String field, Duration max) {
    Duration d;
    try {
      d = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_REQUEST", "'" + field + "' must be an ISO-8601 duration such as PT30M.", field);
    }
    if (d.isNegative() || d.isZero()) {
      throw ApiException.badRequest("INVALID_REQUEST", "'" + field + "' must be longer than zero.", field);
    }
    if (d.compareTo(max) > 0) {
      throw ApiException.badRequest("INVALID_REQUEST", "'" + field + "' must be at most " + max + ".", field);
    }
    return d;
  }
}
