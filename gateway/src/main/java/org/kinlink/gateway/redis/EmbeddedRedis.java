package org.kinlink.gateway.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * The Redis server bundled in {@code com.github.codemonstur:embedded-redis}, run as a child process
 * on a free loopback port with its data under one directory: AOF on, {@code appendfsync always},
 * so anything the gateway acknowledged survives a crash of either process.
 *
 * <p>Owner-only: the directory is 0700, the server runs with umask 077 (so its AOF is 0600), and
 * it requires a password generated once and kept in the directory (0600). The settings, password
 * included, go in a 0600 config file rather than on the command line, which every local user can
 * read in {@code /proc}.
 *
 * <p>One server per directory: whoever runs it (a gateway, or a CLI command when no gateway runs)
 * holds an exclusive lock on {@code kinlink-redis.lock} for as long as it does. Another process
 * that finds the lock held connects to the running server ({@link #running}) instead of starting a
 * second one on the same AOF. A pid file lets the next owner stop a server left behind by a crashed
 * one (the lock dies with its process, the child does not).
 *
 * <p>{@link #supervise} restarts the server, on the same port and with backoff, when it exits
 * without being asked to.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
  private static final String PID_FILE = "kinlink-redis.pid";
  private static final String PORT_FILE = "kinlink-redis.port";
  private static final String PASSWORD_FILE = "kinlink-redis.password";
  private static final String CONFIG_FILE = "kinlink-redis.conf";
  private static final String LOCK_FILE = "kinlink-redis.lock";
  private static final Duration FIRST_RESTART_DELAY = Duration.ofMillis(100);
  private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(10);
  /** A server that ran this long before dying is restarted at once again, not after a longer wait. */
  private static final Duration STABLE_AFTER = Duration.ofSeconds(60);

  /** Told when a supervised server goes away and when it is back. */
  public interface Listener {
    void down(String message);

    void up();
  }

  /** The data directory's server is run by another process (or another owner in this one). */
  public static final class InUseException extends IllegalStateException {
    InUseException(String message) {
      super(message);
    }
  }

  /**
   * Directories whose lock this JVM holds. Checked before the lock file is opened again: on POSIX,
   * closing any descriptor of a file drops every lock the process holds on it.
   */
  private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final Path heldKey;
  private final int port;
  private final String password;
  private final Path binary;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private volatile Process process;
  private volatile Instant startedAt;
  private volatile boolean closing;
  private volatile Listener listener;
  private ScheduledExecutorService restarter;
  private int quickDeaths;

  private EmbeddedRedis(Path dir, Path heldKey, int port, String password, Path binary, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.heldKey = heldKey;
    this.port = port;
    this.password = password;
    this.binary = binary;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Starts Redis with its files in {@code dir}; returns once it answers PING.
   *
   * @throws InUseException when another process (or another owner here) runs this directory's server
   */
  public static EmbeddedRedis start(Path dir) {
    FileChannel channel = null;
    FileLock lock = null;
    Path key = null;
    try {
      createPrivateDirectory(dir);
      key = dir.toRealPath();
      if (!HELD.add(key)) {
        key = null;
        throw inUse(dir);
      }
      channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw inUse(dir);
      }
      stopStale(dir);
      Path binary = installBinary(dir);
      String password = passwordOf(dir);
      int port = freePort();
      EmbeddedRedis redis = new EmbeddedRedis(dir, key, port, password, binary, channel, lock);
      redis.spawn();
      Files.writeString(dir.resolve(PORT_FILE), Integer.toString(port), StandardCharsets.UTF_8);
      log.info("embedded Redis started on 127.0.0.1:{} (pid {}), data in {}", port, redis.process.pid(), dir.toAbsolutePath());
      return redis;
    } catch (IOException | RuntimeException e) {
      release(lock, channel);
      if (key != null) {
        HELD.remove(key);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new UncheckedIOException("cannot start the embedded Redis in " + dir, (IOException) e);
    }
  }

  private static InUseException inUse(Path dir) {
    return new InUseException("the data directory " + dir.toAbsolutePath().getParent()
        + " is in use: its Redis is run by another gateway or kinlink command; stop it first or use another --data-dir");
  }

  /**
   * The URL (password included) of the server another process runs on {@code dir}, read from the
   * files it keeps there; empty when none is recorded.
   */
  public static Optional<String> running(Path dir) {
    try {
      String port = Files.readString(dir.resolve(PORT_FILE)).trim();
      Integer.parseInt(port);
      return Optional.of(url(Files.readString(dir.resolve(PASSWORD_FILE)).trim(), port));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The URL Lettuce connects to, with the password. */
  public String url() {
    return url(password, Integer.toString(port));
  }

  private static String url(String password, String port) {
    return "redis://:" + password + "@127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The pid of the server running now. */
  public long pid() {
    return process.pid();
  }

  /**
   * Restarts the server whenever it exits unasked (same port and password, so clients reconnect),
   * after 100 ms, doubling up to 10 s while it keeps dying within a minute of its start.
   */
  public synchronized void supervise(Listener newListener) {
    this.listener = newListener;
    if (restarter == null) {
      restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kinlink-redis-supervisor");
        t.setDaemon(true);
        return t;
      });
      watch(process);
    }
  }

  private void watch(Process watched) {
    watched.onExit().thenAccept(exited -> {
      if (closing || exited != process) {
        return;
      }
      Duration delay = nextDelay();
      String message = "the embedded Redis (pid " + exited.pid() + ") exited with code " + exited.exitValue()
          + "; restarting it in " + delay.toMillis() + " ms (see " + dir.resolve("redis.log") + ")";
      log.error(message);
      notifyListener(l -> l.down(message));
      scheduleRestart(delay);
    });
  }

  private synchronized Duration nextDelay() {
    boolean quick = startedAt != null && Duration.between(startedAt, Instant.now()).compareTo(STABLE_AFTER) < 0;
    quickDeaths = quick ? quickDeaths + 1 : 0;
    long millis = FIRST_RESTART_DELAY.toMillis() << Math.min(Math.max(quickDeaths - 1, 0), 10);
    return Duration.ofMillis(Math.min(millis, MAX_RESTART_DELAY.toMillis()));
  }

  private void scheduleRestart(Duration delay) {
    ScheduledExecutorService s = restarter;
    if (s == null || closing) {
      return;
    }
    s.schedule(() -> {
      if (closing) {
        return;
      }
      try {
        spawn();
        log.info("embedded Redis restarted on 127.0.0.1:{} (pid {})", port, process.pid());
        notifyListener(Listener::up);
        watch(process);
      } catch (IOException | RuntimeException e) {
        Duration next = nextDelay();
        log.error("cannot restart the embedded Redis: {}; trying again in {} ms", e.getMessage(), next.toMillis());
        scheduleRestart(next);
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void notifyListener(java.util.function.Consumer<Listener> call) {
    Listener l = listener;
    if (l != null) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.warn("embedded Redis listener failed", e);
      }
    }
  }

  private void spawn() throws IOException {
    Path config = dir.resolve(CONFIG_FILE);
    writePrivate(config, configText());
    // umask 077 so that the AOF and everything else Redis creates is readable by its owner only
    Process started = new ProcessBuilder(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$1\"",
        binary.toAbsolutePath().toString(), config.toAbsolutePath().toString()))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    Files.writeString(dir.resolve(PID_FILE), Long.toString(started.pid()), StandardCharsets.UTF_8);
    awaitPing(started);
    startedAt = Instant.now();
    process = started;
  }

  private String configText() {
    String abs = dir.toAbsolutePath().toString();
    return String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "protected-mode yes",
        "dir " + quote(abs),
        "appendonly yes",
        "appendfsync always",
        "appendfilename kinlink.aof",
        "dbfilename kinlink.rdb",
        "save \"\"",
        "daemonize no",
        "loglevel warning",
        "logfile " + quote(dir.resolve("redis.log").toAbsolutePath().toString()),
        "requirepass " + password,
        "");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * Stops the server; Redis flushes the AOF on SIGTERM. No JVM shutdown hook of its own: the owner
   * (the gateway's ordered shutdown) closes it after its last write, and a server orphaned by a
   * crash is stopped by the next start.
   */
  @Override
  public void close() {
    closing = true;
    stopRestarter();
    stopProcess();
    letGo();
  }

  private void letGo() {
    release(lock, lockChannel);
    HELD.remove(heldKey);
  }

  /**
   * Kills the server without letting it flush and lets go of the directory, as a crash of the
   * owner and its server would: for tests of crash recovery.
   */
  public void kill() {
    closing = true;
    stopRestarter();
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    letGo();
  }

  /** Lets go of the directory but leaves the server running, as a crashed owner would: for tests. */
  void abandon() {
    closing = true;
    stopRestarter();
    letGo();
  }

  private synchronized void stopRestarter() {
    if (restarter != null) {
      restarter.shutdownNow();
      restarter = null;
    }
  }

  private static void release(FileLock lock, FileChannel channel) {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // the lock goes with the channel or the process anyway
    }
  }

  private void stopProcess() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(dir.resolve(PID_FILE));
      Files.deleteIfExists(dir.resolve(PORT_FILE));
    } catch (IOException ignored) {
      // next start treats a pid file of a dead process as stale
    }
  }

  /** Only called with the lock held: a server recorded here has no live owner. */
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
      log.warn("stopping a Redis (pid {}) left running by an earlier gateway in {}", pid, dir);
      handle.get().destroy();
      try {
        handle.get().onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.get().destroyForcibly();
      }
    }
    Files.deleteIfExists(pidFile);
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
  }

  /** The directory's password, generated on first use (256 random bits, hex). */
  private static String passwordOf(Path dir) throws IOException {
    Path file = dir.resolve(PASSWORD_FILE);
    if (!Files.exists(file)) {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      try {
        createPrivate(file, HexFormat.of().formatHex(bytes));
      } catch (FileAlreadyExistsException raced) {
        // only the lock holder gets here, but an older version may have left one: keep it
      }
    }
    String password = Files.readString(file).trim();
    if (!password.matches("[0-9a-f]{32,128}")) {
      throw new IOException("the Redis password file " + file + " is damaged; delete it to make a new one");
    }
    return password;
  }

  private static void createPrivate(Path file, String text) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** Replaces a file with one only its owner can read (created 0600, renamed into place). */
  private static void writePrivate(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp"); // 0600 on POSIX
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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

  private void awaitPing(Process started) throws IOException {
    byte[] hello = ("AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!started.isAlive()) {
        throw new IOException("the embedded Redis exited with code " + started.exitValue()
            + "; see " + dir.resolve("redis.log"));
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(1000);
        OutputStream out = s.getOutputStream();
        out.write(hello);
        InputStream in = s.getInputStream();
        StringBuilder answer = new StringBuilder();
        byte[] buf = new byte[64];
        // "+OK\r\n" for AUTH, then "+PONG\r\n", or "-LOADING ..." while the AOF is read
        while (answer.indexOf("\r\n", answer.indexOf("\r\n") + 2) < 0) {
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          answer.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        if (answer.toString().contains("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // loading the AOF or not listening yet
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Redis");
      }
    }
    started.destroyForcibly();
    throw new IOException("the embedded Redis did not answer within 30 s; see " + dir.resolve("redis.log"));
  }
}
