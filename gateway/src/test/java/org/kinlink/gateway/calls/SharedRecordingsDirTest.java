package org.kinlink.gateway.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.calls.recording.SharedRecordingsDir;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * Every node must play every recording, so they share one recordings dir. A node started with a
 * directory of its own is named in the advice of {@code /health/ready}, on it and on the others,
 * and the advice goes once it stops; nodes that share the directory say nothing of each other.
 */
class SharedRecordingsDirTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aNodeWithARecordingsDirOfItsOwnIsNamedUntilItStops() throws Exception {
    List<Gateway> shared = kinlink.nodes(2);
    Path elsewhere = Files.createTempDirectory("kinlink-other-recordings");
    Gateway alone = kinlink.start(kinlink.config().withRecordingsDir(Optional.of(elsewhere)));
    SharedRecordingsDir a = shared.get(0).services().recordingsDir();
    SharedRecordingsDir b = shared.get(1).services().recordingsDir();
    SharedRecordingsDir lone = alone.services().recordingsDir();

    List<String> missingOnA = Gateway.await(a.check());
    assertTrue(missingOnA.contains(lone.nodeId()), "A does not see the lone node's marker: " + missingOnA);
    assertFalse(missingOnA.contains(b.nodeId()), "A and B share a directory: " + missingOnA);
    List<String> missingAlone = Gateway.await(lone.check());
    assertTrue(missingAlone.containsAll(List.of(a.nodeId(), b.nodeId())), missingAlone.toString());

    HttpResponse<Buffer> ready = Gateway.await(kinlink.client(shared.get(0)).get("/health/ready").send());
    assertEquals(200, ready.statusCode(), "advice, not a failed check: the node itself works");
    String advice = new JsonObject(ready.bodyAsString()).getString("advice", "");
    assertTrue(advice.contains("is not shared with") && advice.contains(lone.nodeId()) && advice.contains("recordings-dir"),
        ready.bodyAsString());

    alone.close();
    assertFalse(Gateway.await(a.check()).contains(lone.nodeId()), "a node that stopped is no longer named");
    String after = new JsonObject(Gateway.await(kinlink.client(shared.get(0)).get("/health/ready").send()).bodyAsString())
        .getString("advice", "");
    assertFalse(after.contains(lone.nodeId()), after);
    try (var files = Files.walk(elsewhere)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
