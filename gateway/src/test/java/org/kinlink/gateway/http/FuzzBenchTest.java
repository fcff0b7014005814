package org.kinlink.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.bench.FuzzBench;
import org.kinlink.gateway.support.KinlinkExtension;
import picocli.CommandLine;

/** {@code kinlink bench fuzz} against a real node: every malformed request is answered, none with a 5xx. */
class FuzzBenchTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void malformedRequestsMadeFromTheContractGetNo5xx() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new FuzzBench()).setOut(new PrintWriter(out));
    int exit = cli.execute("--url", kinlink.gateway().baseUrl(), "--requests", "600", "--seed", "7");
    String[] lines = out.toString().trim().split("\n");
    JsonObject summary = new JsonObject(lines[lines.length - 1]);
    assertEquals(0, summary.getLong("5xx"), out.toString());
    assertEquals(0, exit, out.toString());
    assertEquals(600, summary.getInteger("requests"));
    assertTrue(summary.getJsonObject("statuses").getLong("400", 0L) > 100, out.toString());
    assertTrue(summary.getJsonObject("by_kind").containsKey("huge-body"), out.toString());
  }
}
