package org.kinlink.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code kinlink bench messages} on its own node with a few clients: every message sent reaches its
 * carer's socket, every socket stays signed in, and the summary carries the figures the README quotes.
 */
class MessagesBenchTest {

  @Test
  void everyMessageSentReachesItsRecipientAndTheSummaryHasTheFigures() {
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new MessagesBench()).setOut(new PrintWriter(out))
        .execute("--clients", "8", "--duration", "PT2S", "--payload-bytes", "60");
    String[] lines = out.toString().trim().split("\n");
    JsonObject summary = new JsonObject(lines[lines.length - 1]);
    assertEquals(0, exit, out.toString());
    assertEquals(8, summary.getInteger("connected"), out.toString());
    assertEquals(0, summary.getInteger("sockets_closed"), out.toString());
    JsonObject saturated = summary.getJsonObject("saturation");
    assertTrue(saturated.getInteger("ok") > 0, out.toString());
    assertEquals(0, saturated.getInteger("failed"), out.toString());
    assertEquals(0, summary.getJsonObject("half_rate").getInteger("failed"), out.toString());
    assertTrue(summary.getJsonObject("cpu_ms_per_message").getDouble("jvm") > 0, out.toString());
    assertTrue(summary.containsKey("redis_xadd_ceiling"), out.toString());
    // the transport alone carried the same sockets' messages, and the figures say where the CPU went
    assertTrue(summary.getJsonObject("transport_floor").getInteger("ok") > 0, out.toString());
    assertTrue(summary.getDouble("ratio_to_transport") > 0, out.toString());
    JsonObject perMessage = summary.getJsonObject("cpu_ms_per_message");
    assertTrue(perMessage.getBoolean("aof_rewritten_meanwhile", false) || perMessage.getLong("aof_bytes") > 0, out.toString());
    assertTrue(perMessage.getLong("redis_disk_bytes") > 0, "the bundled Redis's disk writes: " + out);
    assertFalse(summary.getJsonArray("busiest_threads").isEmpty(), out.toString());
    // what the half-rate tail waited for: the slowest windows hold the phase's messages, and the
    // bundled Redis let its fsyncs be watched
    JsonObject tail = summary.getJsonObject("half_rate_tail");
    assertTrue(tail.getJsonObject("gc_pauses").containsKey("max_ms"), out.toString());
    assertTrue(tail.getJsonObject("redis_round_trip").getInteger("ok") > 0, out.toString());
    assertTrue(tail.getJsonObject("aof_rewrite").containsKey("completed_during"), out.toString());
    // every message delivered in the phase went through each timed step of a send
    JsonObject stages = tail.getJsonObject("send_stages");
    for (String stage : java.util.List.of("reads", "audit", "store")) {
      assertTrue(stages.getJsonObject(stage).getLong("count") >= summary.getJsonObject("half_rate").getInteger("ok"), out.toString());
      assertTrue(stages.getJsonObject(stage).getDouble("p99_ms_at_most") > 0, out.toString());
    }
    assertEquals(10, tail.getJsonObject("redis_slow_fsyncs").getInteger("threshold_ms"), out.toString());
    // each message of the phase is counted once, during an AOF rewrite or not
    JsonObject rewrites = tail.getJsonObject("beside_aof_rewrites");
    assertEquals((int) summary.getJsonObject("half_rate").getInteger("ok"),
        rewrites.getJsonObject("messages_in_flight_during").getInteger("count")
            + rewrites.getJsonObject("messages_otherwise").getInteger("count"), out.toString());
    JsonObject slowest = tail.getJsonArray("slowest_windows").getJsonObject(0);
    assertTrue(slowest.getInteger("messages") > 0, out.toString());
    assertTrue(slowest.getDouble("max_ms") <= summary.getJsonObject("half_rate").getDouble("max_ms") + 0.1, out.toString());
  }
}
