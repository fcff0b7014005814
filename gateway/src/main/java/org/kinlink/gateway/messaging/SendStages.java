package org.kinlink.gateway.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * How long each of a send's steps took, as {@code kinlink.messages.send.stage} timers (Prometheus
 * histograms at {@code /metrics}). A sender waits for two, one Redis round trip each: the reads
 * (thread, earlier message with the same {@code client_id}, the decision's facts, and beside them the
 * conversation's outbox mark) and the store (the record with its audit event parked beside it, the
 * review or retention index and the usage count). The third, audit, is the chain append that follows
 * the answer ({@link MessageOutbox}): how far the tamper-evident log runs behind the sends. The
 * slowest step is where to look first when sends slow down.
 */
public final class SendStages {
  /** The steps, as the {@code stage} tag names them. */
  public enum Stage {
    READS, AUDIT, STORE;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final String METER = "kinlink.messages.send.stage";

  private final java.util.Map<Stage, Timer> timers = new java.util.EnumMap<>(Stage.class);

  public SendStages(MeterRegistry registry) {
    for (Stage stage : Stage.values()) {
      timers.put(stage, Timer.builder(METER).tag("stage", stage.tag())
          .description("time a message send spent in one of its sequential steps")
          .publishPercentileHistogram().register(registry));
    }
  }

  /** The timer of {@code stage}. */
  public Timer timer(Stage stage) {
    return timers.get(stage);
  }

  /** Records that {@code stage} took from {@code startNanos} ({@link System#nanoTime()}) until now. */
  void took(Stage stage, long startNanos) {
    timer(stage).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }
}
