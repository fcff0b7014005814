package org.kinlink.gateway.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for something that happens on another thread with no event to hand (a pub/sub message on
 * another node, a checkpoint written after an append, Redis answering again): polls every few
 * milliseconds until it holds or the deadline passes. Never for time itself: move the
 * {@link TestClock} instead. Each wait prints how long it took ({@code [waited] 12 ms: ...}), so
 * the real-time waiting left in the suite can be added up from the build log.
 */
public final class Eventually {
  private static final long POLL_MILLIS = 5;

  private Eventually() {}

  /** Returns once {@code done} holds; fails naming {@code what} when it has not within {@code deadline}. */
  public static void await(String what, Duration deadline, BooleanSupplier done) {
    long started = System.nanoTime();
    long until = started + deadline.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within " + deadline.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + what, e);
      }
    }
    System.out.printf("[waited] %d ms: %s%n", (System.nanoTime() - started) / 1_000_000, what);
  }
}
