package org.kinlink.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code kinlink bench calls} with tiny numbers: it starts what it needs, runs every phase and prints
 * each figure line and the JSON summary. Only that the figures are there is checked, never their values.
 */
class CallsBenchTest {
  @Test
  void aTinyRunPrintsEveryFigure() {
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new CallsBench()).setOut(new PrintWriter(out))
        .execute("--calls", "2", "--runs", "2", "--duration", "PT0.5S", "--kiosks", "1");
    String text = out.toString();
    assertEquals(0, exit, text);
    for (String figure : List.of("join request -> join answer", "suspension through node A's API -> every participant's call-ended frame",
        "MB per minute recorded", "raw AES-256-GCM on this machine", "signalling on one node: 2 concurrent calls",
        "jitsi: suspension through node A's API -> end-meeting request at prosody", "load average")) {
      assertTrue(text.contains(figure), "missing \"" + figure + "\" in:\n" + text);
    }
    String[] lines = text.trim().split("\n");
    JsonObject summary = new JsonObject(lines[lines.length - 1]);
    for (String key : List.of("join", "suspension_to_media_stopped", "recording", "signalling", "jitsi_end_meeting")) {
      assertTrue(summary.containsKey(key), key + " missing from the summary: " + summary.encode());
    }
    assertEquals(2, summary.getJsonObject("suspension_to_media_stopped").getInteger("runs"), summary.encode());
  }

  @Test
  void helpExplainsTheOptions() {
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new CallsBench()).setOut(new PrintWriter(out)).execute("--help");
    assertEquals(0, exit);
    for (String option : List.of("--calls", "--runs", "--duration", "--recording-kbps", "--kiosks")) {
      assertTrue(out.toString().contains(option), option + " not explained:\n" + out);
    }
  }
}
