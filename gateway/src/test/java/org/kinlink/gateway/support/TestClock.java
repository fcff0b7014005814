package org.kinlink.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test moves instead of waiting, shared safely by the test thread and the gateway's event
 * loops. Hand it to {@code Gateway.start(config, clock)} (the {@link KinlinkExtension} does) and
 * {@code clock.advance(Duration.ofMinutes(16))} ends a 15-minute lockout at once.
 *
 * <p>Two kinds: {@link #running()} goes on at the real pace from wherever it was put (the
 * extension's default, so that things made one after another still get increasing times, as
 * lists ordered by creation time expect), {@link #frozen(Instant)} stands still between moves (for
 * a test that needs exact times). Either way {@link #advance} and {@link #set} move it at once.
 */
public final class TestClock extends Clock {
  /** Milliseconds added to the real time (running) or the time itself (frozen). */
  private final AtomicLong offsetOrTime;
  private final boolean running;
  private final ZoneId zone;

  private TestClock(AtomicLong offsetOrTime, boolean running, ZoneId zone) {
    this.offsetOrTime = offsetOrTime;
    this.running = running;
    this.zone = zone;
  }

  /** A clock at the real time, going on at the real pace until moved. */
  public static TestClock running() {
    return new TestClock(new AtomicLong(0), true, ZoneOffset.UTC);
  }

  /** A clock standing at {@code start} (whole milliseconds) until moved. */
  public static TestClock frozen(Instant start) {
    return new TestClock(new AtomicLong(start.toEpochMilli()), false, ZoneOffset.UTC);
  }

  /** Whether the clock goes on by itself between moves. */
  public boolean isRunning() {
    return running;
  }

  /** Moves the clock forward (or back, for a negative duration); answers the new time. */
  public Instant advance(Duration by) {
    long moved = offsetOrTime.addAndGet(by.toMillis());
    return running ? Instant.ofEpochMilli(System.currentTimeMillis() + moved) : Instant.ofEpochMilli(moved);
  }

  /** Puts the clock at {@code instant} (a running clock goes on from there). */
  public void set(Instant instant) {
    offsetOrTime.set(running ? instant.toEpochMilli() - System.currentTimeMillis() : instant.toEpochMilli());
  }

  @Override
  public long millis() {
    return running ? System.currentTimeMillis() + offsetOrTime.get() : offsetOrTime.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same time seen in another zone (moving either moves both). */
  @Override
  public Clock withZone(ZoneId other) {
    return other.equals(zone) ? this : new TestClock(offsetOrTime, running, other);
  }

  @Override
  public String toString() {
    return "TestClock[" + instant() + (running ? ", running]" : ", frozen]");
  }
}
