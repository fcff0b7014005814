package org.kinlink.gateway.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * The Redis server bundled in {@code com.github.codemonstur:embedded-redis}, run as a child process
 * on a free loopback port with its data under one directory: AOF on, {@code appendfsync always},
 * so anything the gateway acknowledged survives a crash of either process.
 *
 * <p>A pid file in the data directory lets the next start stop a server left behind by a crashed
 * gateway (which would otherwise hold the AOF and a port forever).
 */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
  private static final String PID_FILE = "kinlink-redis.pid";

  private final Path dir;
  private final int port;
  private final Process process;

  private EmbeddedRedis(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Starts Redis with its files in {@code dir}; returns once it answers PING. */
  public static EmbeddedRedis start(Path dir) {
    try {
      Files.createDirectories(dir);
      stopStale(dir);
      Path binary = installBinary(dir);
      int port = freePort();
      List<String> command = List.of(
          binary.toString(),
          "--port", Integer.toString(port),
          "--bind", "127.0.0.1",
          "--protected-mode", "yes",
          "--dir", dir.toAbsolutePath().toString(),
          "--appendonly", "yes",
          "--appendfsync", "always",
          "--appendfilename", "kinlink.aof",
          "--dbfilename", "kinlink.rdb",
          "--save", "",
          "--daemonize", "no",
          "--loglevel", "warning",
          "--logfile", dir.resolve("redis.log").toAbsolutePath().toString());
      Process process = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      Files.writeString(dir.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.UTF_8);
      awaitPing(port, process, dir);
      log.info("embedded Redis started on 127.0.0.1:{} (pid {}), data in {}", port, process.pid(), dir.toAbsolutePath());
      return new EmbeddedRedis(dir, port, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Redis in " + dir, e);
    }
  }

  /** The URL Lettuce connects to. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /**
   * Stops the server; Redis flushes the AOF on SIGTERM. No JVM shutdown hook of its own: the owner
   * (the gateway's ordered shutdown) closes it after its last write, and a server orphaned by a
   * crash is stopped by the next start.
   */
  @Override
  public void close() {
    stopProcess();
  }

  /** Kills the process without letting it flush: for tests of crash recovery. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopProcess() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(dir.resolve(PID_FILE));
    } catch (IOException ignored) {
      // next start treats a pid file of a dead process as stale
    }
  }

  private static void stopStale(Path dir) throws IOException {
    Path pidFile = dir.resolve(PID_FILE);
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (NumberFormatException e) {
      Files.delete(pidFile);
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    boolean isRedis = handle.flatMap(h -> h.info().command()).map(c -> c.contains("redis-server")).orElse(false);
    if (handle.isPresent() && handle.get().isAlive() && isRedis) {
      // a server whose gateway still runs is in use, not stale: stopping it would cut a live gateway off its data
      Optional<ProcessHandle> owner = handle.get().parent().filter(ProcessHandle::isAlive)
          .filter(parent -> parent.pid() != ProcessHandle.current().pid())
          .filter(parent -> parent.info().command().map(c -> c.endsWith("/java") || c.endsWith("java")).orElse(false));
      if (owner.isPresent()) {
        throw new IllegalStateException("the data directory " + dir.getParent().toAbsolutePath()
            + " is in use by another running gateway (pid " + owner.get().pid() + "); stop it first or use another --data-dir");
      }
      log.warn("stopping a Redis (pid {}) left running by an earlier gateway in {}", pid, dir);
      handle.get().destroy();
      try {
        handle.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.get().destroyForcibly();
      }
    }
    Files.deleteIfExists(pidFile);
  }

  private static Path installBinary(Path dir) throws IOException {
    Path target = dir.resolve("redis-server");
    if (Files.isExecutable(target)) {
      return target;
    }
    Path extracted = ExecutableProvider.newJarResourceProvider().get().toPath();
    Path tmp = Files.createTempFile(dir, "redis-server", ".tmp");
    Files.copy(extracted, tmp, StandardCopyOption.REPLACE_EXISTING);
    tmp.toFile().setExecutable(true, true);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void awaitPing(int port, Process process, Path dir) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("the embedded Redis exited with code " + process.exitValue()
            + "; see " + dir.resolve("redis.log"));
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(1000);
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[7];
        int n = s.getInputStream().read(buf);
        if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // loading the AOF or not listening yet
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Redis");
      }
    }
    process.destroyForcibly();
    throw new IOException("the embedded Redis did not answer within 30 s; see " + dir.resolve("redis.log"));
  }
}
