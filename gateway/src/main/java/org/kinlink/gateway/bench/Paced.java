package org.kinlink.gateway.bench;

import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** Open-loop load for the benches: sends at a fixed rate whatever the answers. */
final class Paced {
  private Paced() {}

  /**
   * Calls {@code send} with 0, 1, 2, ... at {@code perSecond} for {@code nanos} (at least once);
   * answers the timer id to cancel. A 1 ms timer sends whatever the schedule owes by now, so rates
   * above 1000/s hold too.
   */
  static long start(Vertx vertx, double perSecond, long nanos, LongConsumer send) {
    long interval = Math.max(1, (long) (1e9 / perSecond));
    long total = Math.max(1, nanos / interval);
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    return vertx.setPeriodic(1, id -> {
      long owed = Math.min(total, (System.nanoTime() - start) / interval + 1);
      while (sent.get() < owed) {
        send.accept(sent.getAndIncrement());
      }
    });
  }
}
