package org.kinlink.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench splits the half-rate phase's messages by whether an AOF rewrite ran while they were in
 * flight, so its p99 can be read against the disk's share of the phase.
 */
class TailCausesTest {
  private static final long MS = 1_000_000L;

  @Test
  void aMessageInFlightWhileARewriteRanCountsAsDuringItAndTheRestAsOtherwise() {
    List<long[]> rewrites = List.of(new long[] {100 * MS, 200 * MS});
    List<long[]> messages = List.of(
        new long[] {50 * MS, 40 * MS},   // delivered before the rewrite began
        new long[] {90 * MS, 30 * MS},   // sent before, delivered while it ran
        new long[] {150 * MS, 10 * MS},  // inside it
        new long[] {195 * MS, 20 * MS},  // still in flight when it ended
        new long[] {210 * MS, 5 * MS},   // after it
        new long[] {300 * MS, 8 * MS});

    JsonObject split = TailCauses.besideRewrites(rewrites, messages, 400 * MS);

    assertEquals(1, split.getInteger("rewrites_seen"));
    assertEquals(0.25, split.getDouble("share_of_phase"), "100 ms of a 400 ms phase");
    JsonObject during = split.getJsonObject("messages_in_flight_during");
    assertEquals(3, during.getInteger("count"));
    assertEquals(30.0, during.getDouble("p99_ms"));
    assertEquals(20.0, during.getDouble("p50_ms"));
    JsonObject otherwise = split.getJsonObject("messages_otherwise");
    assertEquals(3, otherwise.getInteger("count"));
    assertEquals(40.0, otherwise.getDouble("p99_ms"));
    assertEquals(8.0, otherwise.getDouble("p50_ms"));
  }

  @Test
  void withoutARewriteEveryMessageIsOtherwise() {
    JsonObject split = TailCauses.besideRewrites(List.of(), List.of(new long[] {0, 3 * MS}, new long[] {MS, 4 * MS}), 10 * MS);
    assertEquals(0.0, split.getDouble("share_of_phase"));
    assertEquals(0, split.getJsonObject("messages_in_flight_during").getInteger("count"));
    assertEquals(2, split.getJsonObject("messages_otherwise").getInteger("count"));
  }
}
