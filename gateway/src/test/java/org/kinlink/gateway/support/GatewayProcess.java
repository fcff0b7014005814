package org.kinlink.gateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A gateway node in a process of its own ({@code kinlink serve} on this test's classpath), for what
 * one JVM cannot show: a node killed with SIGKILL, or a node whose environment differs (another
 * master key). It logs to {@code node.log} in its data dir.
 */
public final class GatewayProcess {
  public final Process process;
  public final int port;
  public final Path dataDir;

  private GatewayProcess(Process process, int port, Path dataDir) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
  }

  /** Starts a node on {@code redisUrl} with {@code env} added to its environment and waits until it is ready. */
  public static GatewayProcess start(String redisUrl, Map<String, String> env) throws Exception {
    Path dataDir = Files.createTempDirectory("kinlink-node");
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.kinlink.gateway.Main", "serve")
        .redirectErrorStream(true).redirectOutput(dataDir.resolve("node.log").toFile());
    Map<String, String> all = new HashMap<>(Map.of("KINLINK_REDIS_URL", redisUrl, "KINLINK_DATA_DIR", dataDir.toString(),
        "KINLINK_PORT", Integer.toString(port), "KINLINK_INSECURE_HTTP", "true", "KINLINK_VERTICLES", "1"));
    all.putAll(env);
    pb.environment().putAll(all);
    GatewayProcess node = new GatewayProcess(pb.start(), port, dataDir);
    node.awaitReady(HttpClient.newHttpClient());
    return node;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public String log() throws IOException {
    return Files.readString(dataDir.resolve("node.log"));
  }

  private void awaitReady(HttpClient http) throws Exception {
    HttpRequest ready = HttpRequest.newBuilder(uri("/health/ready")).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the node exited: " + log());
      }
      try {
        if (http.send(ready, BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet: a process starting, not something a clock could advance
      }
      process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    process.destroyForcibly();
    throw new AssertionError("the node never became ready: " + log());
  }
}
