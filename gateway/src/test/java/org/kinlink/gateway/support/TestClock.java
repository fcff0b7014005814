package org.kinlink.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, shared safely by the test thread and the
 * gateway's event loops. Hand it to {@code Gateway.start(config, clock)} (the {@link KinlinkExtension}
 * does) and move it instead of waiting: {@code clock.advance(Duration.ofMinutes(16))} ends a
 * 15-minute lockout at once.
 */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private TestClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock standing at {@code start}. */
  public static TestClock at(Instant start) {
    return new TestClock(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  /** A clock standing at the real time it was made (whole milliseconds, as Redis scores keep them). */
  public static TestClock startingNow() {
    return at(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  /** Moves the clock forward (or back, for a negative duration); answers the new time. */
  public Instant advance(Duration by) {
    return now.updateAndGet(t -> t.plus(by));
  }

  /** Puts the clock at {@code instant}. */
  public void set(Instant instant) {
    now.set(instant);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public long millis() {
    return now.get().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same moving time seen in another zone (moving either moves both). */
  @Override
  public Clock withZone(ZoneId other) {
    return other.equals(zone) ? this : new TestClock(now, other);
  }

  @Override
  public String toString() {
    return "TestClock[" + now.get() + "]";
  }
}
