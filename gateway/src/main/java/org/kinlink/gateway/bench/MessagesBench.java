package org.kinlink.gateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.crypto.DeviceKey;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;
import org.kinlink.gateway.people.StaffAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kinlink bench messages}: starts its own gateway node (bundled Redis unless
 * {@code --redis-url}) with fixtures made for the run: one establishment, {@code clients/2}
 * prisoners each on their own enrolled kiosk, {@code clients/2} carers with passwords, and one
 * approved contact per pair whose daily message limit is set high enough not to cap the run.
 * Prisoners sign in with the real device proof (challenge, ECDSA P-256 over the nonce), carers with
 * their password; every client opens {@code /ws} and signs the socket in with its access token.
 *
 * <p>After a closed-loop warm-up ({@code --warmup}, not counted), phase 1 (half of {@code --duration}): every prisoner sends, one message at a time, the next
 * as soon as its carer's socket received {@code message.new} for the last: the delivered rate is
 * the sustainable end-to-end rate (send -> policy -> encrypt -> Redis -> push). Phase 2: messages
 * at half that rate, open loop, spread over the senders; latency is send to the recipient's
 * {@code message.new}. Then the ceiling: {@code redis-benchmark XADD} against the same Redis with
 * the same client count and body size, and the transport alone ({@link TransportFloor}: the same
 * number of sockets through a bare WebSocket server). JSON summary as the last line.
 */
@Command(name = "messages", description = "Own node + fixtures: sustainable messages/s over WebSockets, p50/p99 at half rate, "
    + "redis-benchmark XADD ceiling and ratio; JSON summary last.")
public final class MessagesBench implements Callable<Integer> {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The sequence number at the start of a body, found in a frame's raw text. */
  private static final Pattern SEQ = Pattern.compile("\"body\":\"bench (\\d+) ");
  private static final String NEW_FRAME = "{\"type\":\"message.new\"";
  private static final String ERROR_TYPE = "\"type\":\"error\"";
  /** The policy's highest daily limit: no pair reaches it in a run of minutes, so the policy's daily limit never caps the figure. */
  static final int FIXTURE_MESSAGES_PER_DAY = 10_000;

  @Spec
  CommandSpec spec;

  @Option(names = "--clients", defaultValue = "2000", description = "connected WebSocket clients, half prisoners, half carers (default 2000)")
  int clients;

  @Option(names = "--duration", defaultValue = "PT20S", description = "load time, split between the two phases (default PT20S)")
  Duration duration;

  /** The JIT compiles the send path during its first seconds; measured then, the figures would be the compiler's. */
  @Option(names = "--warmup", defaultValue = "PT5S", description = "closed-loop load before the measured phases, not counted (default PT5S)")
  Duration warmup;

  @Option(names = "--payload-bytes", defaultValue = "200", description = "message body size in characters (default 200)")
  int payload;

  /** Compares latency across changes that move the sustained rate: the same load, not the same share of a new ceiling. */
  @Option(names = "--paced-rate", description = "messages/s of the paced latency phase (default: half the sustained rate)")
  Double pacedRate;

  /** As {@code serve} runs by default: one per core. A single one would make one event loop the node's ceiling. */
  @Option(names = "--verticles", description = "HTTP verticles of the node (default: one per core, as serve runs)")
  int verticles = GatewayConfig.defaults().verticles();

  @Option(names = "--redis-url", description = "Redis the node uses (default: a bundled Redis in a temporary directory)")
  String redisUrl;

  @Override
  public Integer call() throws Exception {
    if (clients < 2 || clients > 20_000 || clients % 2 != 0) {
      throw new ParameterException(spec.commandLine(), "--clients must be an even number from 2 to 20000");
    }
    if (duration.isNegative() || duration.toMillis() < 2000 || duration.toMinutes() > 60) {
      throw new ParameterException(spec.commandLine(), "--duration must be from PT2S to PT60M");
    }
    if (warmup.isNegative() || warmup.toMinutes() > 10) {
      throw new ParameterException(spec.commandLine(), "--warmup must be from PT0S to PT10M");
    }
    if (payload < 20 || payload > 4000) {
      throw new ParameterException(spec.commandLine(), "--payload-bytes must be from 20 to 4000");
    }
    if (verticles < 1 || verticles > 256) {
      throw new ParameterException(spec.commandLine(), "--verticles must be from 1 to 256");
    }
    if (pacedRate != null && !(pacedRate >= 1 && pacedRate <= 1_000_000)) {
      throw new ParameterException(spec.commandLine(), "--paced-rate must be from 1 to 1000000 messages a second");
    }
    GatewayConfig base = PolicyPropagationBench.config(Optional.ofNullable(redisUrl), verticles);
    Gateway node = Gateway.start(base);
    // the serve default holds a share of messages at random for review; held messages never reach the recipient
    node.services().messaging().randomHolds().setShare(0);
    Vertx vertx = Vertx.vertx();
    List<String> lines;
    int status;
    try {
      String redis = redisUrl != null ? redisUrl : node.embeddedRedis().url();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.port())
          .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(8));
      int pairs = clients / 2;
      long t0 = System.nanoTime();
      List<Pair> fixtures = fixtures(node, client, pairs);
      long fixturesMs = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      Load load = new Load(pairs);
      connect(sources(vertx, clients), node.port(), fixtures, load);
      long connectMs = (System.nanoTime() - t0) / 1_000_000;
      int connected = node.services().realtime().connected(); // signed-in sockets the node holds

      String padding = "x".repeat(payload);
      long half = duration.toNanos() / 2;
      if (!warmup.isZero()) {
        closedLoop(vertx, fixtures, load, padding, warmup.toNanos());
      }
      Cpu before = Cpu.now(node);
      Phase saturated = closedLoop(vertx, fixtures, load, padding, half);
      Cpu after = Cpu.now(node);
      double rate = saturated.delivered() * 1e9 / saturated.elapsedNanos();
      double halfRate = pacedRate != null ? pacedRate : Math.max(1, rate / 2);
      TailCauses tail = TailCauses.start(node.services().redis(), vertx, node.services().messaging().sendStages());
      load.timeline = tail.timeline;
      Phase paced = openLoop(vertx, fixtures, load, padding, half, halfRate);
      load.timeline = null;
      // the phase's audit appends follow their answers: its audit-stage figures are complete once they are done
      Gateway.await(node.services().messaging().auditSettled());
      JsonObject tailCauses = tail.stop();
      JsonObject floor = TransportFloor.measure(vertx, sources(vertx, clients), PER_SOURCE, verticles, pairs, padding, half);
      JsonObject ceiling = ceiling(redis, clients, payload);

      JsonObject summary = new JsonObject().put("scenario", "messages")
          .put("redis", redisUrl != null ? "external" : "bundled")
          .put("clients", clients).put("connected", connected).put("verticles", verticles)
          .put("pairs", pairs).put("payload_bytes", payload).put("warmup_ms", warmup.toMillis())
          .put("fixture_messages_per_day", FIXTURE_MESSAGES_PER_DAY)
          .put("setup_ms", fixturesMs).put("connect_ms", connectMs)
          .put("sustainable_messages_per_s", Math.round(rate * 10) / 10.0)
          .put("saturation", LatencySummary.of("closed-loop", saturated.latencies(), saturated.delivered(), saturated.failed(),
              pairs, saturated.elapsedNanos()))
          .put("cpu_ms_per_message", after.perMessage(before, saturated.delivered()))
          .put("busiest_threads", after.busiest(before, 6))
          .put("half_rate_target_per_s", Math.round(halfRate * 10) / 10.0).put("paced_rate_given", pacedRate != null)
          .put("half_rate", LatencySummary.of("half-rate", paced.latencies(), paced.delivered(), paced.failed(), pairs,
              paced.elapsedNanos()))
          .put("half_rate_tail", tailCauses)
          .put("redis_xadd_ceiling", ceiling)
          .put("transport_floor", floor)
          .put("ratio_to_transport", Math.round(rate / floor.getDouble("messages_per_s") * 10000) / 10000.0)
          .put("error_frames", new JsonObject(new java.util.TreeMap<String, Object>(load.errors))).put("sockets_closed", load.closed.get());
      Double xadd = ceiling.getDouble("xadd_per_s");
      if (xadd != null && xadd > 0) {
        summary.put("ratio_to_ceiling", Math.round(rate / xadd * 10000) / 10000.0);
      }
      lines = List.of("fixtures: " + pairs + " prisoner/carer contacts, each with messages_per_day " + FIXTURE_MESSAGES_PER_DAY
          + " so the daily limit never caps the run; random review holds off (serve default 0.02)",
          connected + " sockets signed in on the node (" + verticles + " verticles); sustainable (closed loop, one message in flight per prisoner): " + summary.getDouble("sustainable_messages_per_s")
          + " messages/s; at half rate p50 " + summary.getJsonObject("half_rate").getDouble("p50_ms") + " ms, p99 "
          + summary.getJsonObject("half_rate").getDouble("p99_ms") + " ms; CPU per message at saturation (ms): "
          + summary.getJsonObject("cpu_ms_per_message").encode(),
          "what the half-rate phase's slow messages waited for (GC pauses, a one-key Redis write every "
              + TailCauses.PROBE_EVERY_MS + " ms, the node's timers of a send's steps, Redis fsyncs of " + TailCauses.FSYNC_THRESHOLD_MS
              + " ms or more, slowest 100 ms windows): " + tailCauses.encode(),
          "redis-benchmark XADD ceiling: " + ceiling.encode(),
          "the same sockets through a bare WebSocket server (1 frame in, 3 out, no policy, store, audit or encryption): "
              + floor.getDouble("messages_per_s") + " messages/s closed loop, p99 " + floor.getDouble("p99_ms")
              + " ms; end to end is " + summary.getDouble("ratio_to_transport") + " of that",
          summary.encode());
      status = saturated.failed() + paced.failed() == 0 ? 0 : 1;
    } finally {
      Gateway.await(vertx.close());
      node.close();
    }
    // printed after the node stopped, so its shutdown log does not come after the summary
    var out = spec.commandLine().getOut();
    lines.forEach(out::println);
    out.flush();
    return status;
  }

  /** One approved contact: a prisoner on a kiosk and a carer, with their access tokens once signed in. */
  private record Pair(String contactId, String prisonNumber, String deviceId, KeyPair kioskKeys, String carerEmail,
      String[] tokens) {}

  private record Phase(long[] latencies, int delivered, int failed, long elapsedNanos) {}

  /**
   * CPU used so far by this process (node and bench clients together) and by Redis: per message,
   * the one figure the other load on a shared machine leaves roughly alone.
   */
  private record Cpu(long jvmNanos, long allocatedBytes, double redisSeconds, long redisCommands, long aofBytes, long aofBaseBytes,
      long redisDiskWrites, long atNanos, java.util.Map<Long, Long> threadNanos) {
    static Cpu now(Gateway node) {
      long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
      long allocated = ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
          .getTotalThreadAllocatedBytes();
      double redis = -1;
      long commands = -1;
      long aof = -1;
      long aofBase = -1;
      try {
        String info = Gateway.await(node.services().redis().<String>call(c -> c.info("everything")));
        redis = 0;
        for (String line : info.split("\r?\n")) {
          if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
            redis += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
          } else if (line.startsWith("total_commands_processed:")) {
            commands = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          } else if (line.startsWith("aof_current_size:")) {
            aof = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          } else if (line.startsWith("aof_base_size:")) {
            aofBase = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
      } catch (RuntimeException e) {
        redis = -1; // INFO refused (a managed Redis): the JVM figures stand alone
      }
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      java.util.Map<Long, Long> perThread = new java.util.HashMap<>();
      for (long id : threads.getAllThreadIds()) {
        perThread.put(id, threads.getThreadCpuTime(id));
      }
      return new Cpu(jvm, allocated, redis, commands, aof, aofBase, diskWrites(node), System.nanoTime(), perThread);
    }

    /**
     * Bytes the bundled Redis process has had written to the disk ({@code write_bytes} of its
     * {@code /proc/<pid>/io}, counted in pages as they are dirtied): its AOF appends, not a rewrite's
     * (a child process writes that). -1 for an external Redis, or where there is no /proc.
     */
    static long diskWrites(Gateway node) {
      if (node.embeddedRedis() == null) {
        return -1;
      }
      try {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(node.embeddedRedis().pid()), "io"))) {
          if (line.startsWith("write_bytes:")) {
            return Long.parseLong(line.substring("write_bytes:".length()).trim());
          }
        }
      } catch (IOException | RuntimeException e) {
        return -1;
      }
      return -1;
    }

    /**
     * The threads that used most CPU since {@code before}, as a share of one core: a thread near 1.0
     * is a ceiling of its own, whatever the machine's other cores do.
     */
    io.vertx.core.json.JsonArray busiest(Cpu before, int n) {
      double wall = atNanos - before.atNanos;
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      java.util.Map<Long, Long> used = new java.util.HashMap<>();
      threadNanos.forEach((id, nanos) -> {
        Long was = before.threadNanos.get(id);
        if (was != null && was >= 0 && nanos >= 0) {
          used.put(id, nanos - was);
        }
      });
      return new io.vertx.core.json.JsonArray(used.entrySet().stream()
          .sorted(java.util.Map.Entry.<Long, Long>comparingByValue().reversed()).limit(n)
          .map(e -> {
            java.lang.management.ThreadInfo info = threads.getThreadInfo(e.getKey());
            return (Object) new JsonObject().put("thread", (info == null ? "?" : info.getThreadName()) + " #" + e.getKey())
                .put("core_share", Math.round(e.getValue() / wall * 100) / 100.0);
          }).toList());
    }

    JsonObject perMessage(Cpu before, int messages) {
      JsonObject out = new JsonObject();
      if (messages == 0) {
        return out;
      }
      out.put("jvm", Math.round((jvmNanos - before.jvmNanos) / 1e6 / messages * 1000) / 1000.0);
      if (redisSeconds >= 0 && before.redisSeconds >= 0) {
        out.put("redis", Math.round((redisSeconds - before.redisSeconds) * 1000 / messages * 1000) / 1000.0);
      }
      // work per message, whatever else loads the machine: heap allocated and Redis commands sent
      out.put("jvm_allocated_kb", Math.round((allocatedBytes - before.allocatedBytes) / 1024.0 / messages * 10) / 10.0);
      if (redisCommands >= 0 && before.redisCommands >= 0) {
        out.put("redis_commands", Math.round((redisCommands - before.redisCommands) * 10.0 / messages) / 10.0);
      }
      // with appendfsync always Redis answers only once what it wrote is fsynced: bytes it appends are
      // latency. The AOF's growth says how many only while no rewrite has shrunk it meanwhile
      if (aofBytes >= 0 && before.aofBytes >= 0 && aofBaseBytes == before.aofBaseBytes) {
        out.put("aof_bytes", Math.round((aofBytes - before.aofBytes) / (double) messages));
      } else if (aofBytes >= 0) {
        out.putNull("aof_bytes").put("aof_rewritten_meanwhile", true);
      }
      // what the disk was asked to write: whole pages, each append after an fsync dirtying its page again
      if (redisDiskWrites >= 0 && before.redisDiskWrites >= 0) {
        out.put("redis_disk_bytes", Math.round((redisDiskWrites - before.redisDiskWrites) / (double) messages));
      }
      return out;
    }
  }

  /** The sockets and the messages in flight, keyed by the sequence number written at the start of each body. */
  private static final class Load {
    final WebSocket[] prisoners;
    final ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Long, Integer> senderOf = new ConcurrentHashMap<>();
    final AtomicLong seq = new AtomicLong();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final ConcurrentHashMap<String, Integer> errors = new ConcurrentHashMap<>();
    volatile ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    volatile java.util.function.IntConsumer onDelivered = i -> {};
    /** Where delivered messages' send times and latencies go too, while a phase's tail is watched. */
    volatile ConcurrentLinkedQueue<long[]> timeline;

    Load(int pairs) {
      prisoners = new WebSocket[pairs];
    }

    /** A carer's message.new frame as text. */
    void received(String frame) {
      Matcher m = SEQ.matcher(frame);
      if (!m.find()) {
        return;
      }
      long s = Long.parseLong(m.group(1));
      Long at = sentAt.remove(s);
      Integer sender = senderOf.remove(s);
      if (at != null) {
        long took = System.nanoTime() - at;
        latencies.add(took);
        ConcurrentLinkedQueue<long[]> watched = timeline;
        if (watched != null) {
          watched.add(new long[] {at, took});
        }
        onDelivered.accept(sender);
      }
    }

    void send(int pair, String contactId, String padding) {
      long s = seq.incrementAndGet();
      sentAt.put(s, System.nanoTime());
      senderOf.put(s, pair);
      prisoners[pair].writeTextMessage(new JsonObject().put("type", "message.send").put("ref", s).put("contact_id", contactId)
          .put("client_id", "bench-" + s).put("body", ("bench " + s + " " + padding).substring(0, padding.length())).encode());
    }
  }

  private static List<Pair> fixtures(Gateway node, WebClient http, int pairs) {
    Directory directory = node.services().directory();
    SecretHasher hasher = new SecretHasher();
    String suffix = Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    String est = "bench-" + suffix;
    String password = "bench-" + suffix;
    String pin = "4321";
    // one hash each for every PIN and password, with light Argon2 costs (they travel in the hash):
    // every client still signs in through the real path, but 2,000 sign-ins take seconds, not minutes
    String pinHash = hasher.hashNow(pin, 64, 1);
    String passwordHash = hasher.hashNow(password, 64, 1);
    String totp = Totp.newSecret();
    Instant now = Instant.now();
    Gateway.await(directory.putEstablishment(new Establishment(est, "HMP Bench " + suffix)));
    StaffAccount officer = new StaffAccount("st-bench-" + suffix, "officer-" + suffix + "@bench.kinlink.test", "Bench Officer",
        Role.OFFICER, est, passwordHash, totp, false, now);
    Gateway.await(directory.createStaff(officer));
    HttpResponse<Buffer> login = Gateway.await(http.post("/api/v1/auth/login").sendJsonObject(new JsonObject()
        .put("email", officer.email()).put("password", password).put("otp", Totp.code(totp, Totp.step(Instant.now())))));
    if (login.statusCode() != 200) {
      throw new IllegalStateException("officer sign-in failed: " + login.bodyAsString());
    }
    String staffToken = login.bodyAsJsonObject().getString("access_token");
    char a = (char) ('A' + RANDOM.nextInt(26));
    // a few pairs at a time: the node's writes are what setup waits for, not the bench's CPU
    java.util.concurrent.ExecutorService setup = java.util.concurrent.Executors.newFixedThreadPool(6);
    List<java.util.concurrent.Future<Pair>> made = new ArrayList<>();
    for (int n = 0; n < pairs; n++) {
      int i = n;
      made.add(setup.submit(() -> pair(directory, http, staffToken, est, suffix, a, i, pinHash, passwordHash, now)));
    }
    List<Pair> out = new ArrayList<>();
    try {
      for (java.util.concurrent.Future<Pair> f : made) {
        out.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      setup.shutdownNow();
    }
    signIn(http, out, pin, password);
    return out;
  }

  /** Prisoner {@code i} on her own kiosk, her carer, and their approved contact. */
  private static Pair pair(Directory directory, WebClient http, String staffToken, String est, String suffix, char a, int i,
      String pinHash, String passwordHash, Instant now) {
    String number = null;
    for (int attempt = 0; number == null; attempt++) {
      String candidate = "" + a + String.format("%04d", i % 10000) + (char) ('A' + RANDOM.nextInt(26)) + (char) ('A' + RANDOM.nextInt(26));
      try {
        Gateway.await(directory.createPrisoner(new Prisoner(PrisonNumber.prisonerId(candidate), candidate, "Bench Prisoner " + i,
            est, Clearance.FULL, EnumSet.noneOf(PrisonerFlag.class), pinHash, now)));
        number = candidate;
      } catch (RuntimeException taken) {
        if (attempt > 20) {
          throw taken;
        }
      }
    }
    KeyPair keys = DeviceKey.generate();
    String device = "kiosk-bench-" + suffix + "-" + i;
    Gateway.await(directory.createDevice(new KioskDevice(device, est, "Bench wing " + i, true,
        Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()))));
    String email = "carer-" + i + "-" + suffix + "@bench.kinlink.test";
    PersonOutside carer = new PersonOutside("pe-bench-" + suffix + "-" + i, PersonKind.CARER, "Bench Carer " + i, email,
        passwordHash, null, true, null, List.of(est), now);
    Gateway.await(directory.createPerson(carer));
    JsonObject policy = new JsonObject().put("state", "PENDING").put("relationship", "CARER").put("oversight", "RECORDED")
        .put("channels", new JsonArray(List.of("MESSAGE"))).put("limits", new JsonObject().put("messages_per_day", FIXTURE_MESSAGES_PER_DAY));
    HttpResponse<Buffer> created = Gateway.await(http.post("/api/v1/contacts").putHeader("Authorization", "Bearer " + staffToken)
        .sendJsonObject(new JsonObject().put("prisoner_id", PrisonNumber.prisonerId(number)).put("person_id", carer.id())
            .put("relationship", "CARER").put("policy", policy)));
    if (created.statusCode() != 201) {
      throw new IllegalStateException("proposal failed: " + created.bodyAsString());
    }
    String id = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> approved = Gateway.await(http.post("/api/v1/contacts/" + id + "/approve")
        .putHeader("Authorization", "Bearer " + staffToken).sendJsonObject(new JsonObject().put("reason", "bench")));
    if (approved.statusCode() != 200) {
      throw new IllegalStateException("approval failed: " + approved.bodyAsString());
    }
    return new Pair(id, number, device, keys, email, new String[2]);
  }

  /** Every prisoner by kiosk proof + PIN and every carer by password, a few at a time (each is an Argon2 check). */
  private static void signIn(WebClient http, List<Pair> pairs, String pin, String password) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      workers.add(signInLoop(http, pairs, next, pin, password));
    }
    Gateway.await(Future.all(workers));
  }

  private static Future<Void> signInLoop(WebClient http, List<Pair> pairs, AtomicInteger next, String pin, String password) {
    int i = next.getAndIncrement();
    if (i >= pairs.size() * 2) {
      return Future.succeededFuture();
    }
    Pair p = pairs.get(i / 2);
    Future<HttpResponse<Buffer>> signed = i % 2 == 0
        ? http.post("/api/v1/auth/kiosk/challenge").sendJsonObject(new JsonObject().put("device_id", p.deviceId())).compose(c -> {
          if (c.statusCode() != 200) {
            return Future.failedFuture("kiosk challenge answered " + c.statusCode() + ": " + c.bodyAsString());
          }
          String nonce = c.bodyAsJsonObject().getString("nonce");
          return http.post("/api/v1/auth/kiosk").sendJsonObject(new JsonObject().put("device_id", p.deviceId()).put("nonce", nonce)
              .put("signature", sign(p.kioskKeys(), nonce)).put("prison_number", p.prisonNumber()).put("pin", pin));
        })
        : http.post("/api/v1/auth/login").sendJsonObject(new JsonObject().put("email", p.carerEmail()).put("password", password));
    return signed.compose(r -> {
      if (r.statusCode() != 200) {
        return Future.failedFuture("sign-in answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      p.tokens()[i % 2] = r.bodyAsJsonObject().getString("access_token");
      return signInLoop(http, pairs, next, pin, password);
    });
  }

  /** What a kiosk's WebCrypto gives: ECDSA P-256 / SHA-256 over the nonce's UTF-8, raw r||s, base64url. */
  private static String sign(KeyPair keys, String nonce) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(keys.getPrivate());
      s.update(nonce.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One client per {@value #PER_SOURCE} sockets, each bound to its own loopback address: the node
   * allows 64 connections from one source address, as it would from one kiosk network's NAT.
   */
  private static WebSocketClient[] sources(Vertx vertx, int sockets) {
    WebSocketClient[] out = new WebSocketClient[(sockets + PER_SOURCE - 1) / PER_SOURCE];
    for (int i = 0; i < out.length; i++) {
      int host = i + 2;
      out[i] = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(PER_SOURCE)
          .setLocalAddress("127.0." + (host / 250) + "." + (host % 250 + 1)));
    }
    return out;
  }

  private static final int PER_SOURCE = 50;

  private static void connect(WebSocketClient[] ws, int port, List<Pair> pairs, Load load) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 16; w++) {
      workers.add(connectLoop(ws, port, pairs, next, load));
    }
    Gateway.await(Future.all(workers));
  }

  private static Future<Void> connectLoop(WebSocketClient[] ws, int port, List<Pair> pairs, AtomicInteger next, Load load) {
    int i = next.getAndIncrement();
    if (i >= pairs.size() * 2) {
      return Future.succeededFuture();
    }
    // every sender first, then every recipient: the node hands new connections to its event loops in
    // turn, so alternating the two would put every sender's work on one loop and leave the other idle
    boolean prisoner = i < pairs.size();
    int pair = i % pairs.size();
    Pair p = pairs.get(pair);
    return ws[i / PER_SOURCE].connect(port, "127.0.0.1", "/ws").compose(socket -> {
      Promise<Void> ready = Promise.promise();
      socket.textMessageHandler(text -> {
        // the client must not be what it measures: a frame is parsed only when it is one the
        // bench acts on (a carer's message.new is matched by its raw text), never the acks and receipts
        if (ready.future().isComplete()) {
          if (!prisoner && text.startsWith(NEW_FRAME)) {
            load.received(text);
            return;
          }
          if (!text.contains(ERROR_TYPE)) {
            return;
          }
        }
        JsonObject f = new JsonObject(text);
        String type = f.getString("type");
        if ("ready".equals(type)) {
          ready.tryComplete();
        } else if ("message.new".equals(type) && !prisoner) {
          load.received(text);
        } else if ("error".equals(type)) {
          if (!ready.tryFail("socket sign-in refused: " + text) && f.getValue("ref") instanceof Number n) {
            load.errors.merge(f.getJsonObject("error", new JsonObject()).getString("code", "?"), 1, Integer::sum);
            load.sentAt.remove(n.longValue());
            Integer sender = load.senderOf.remove(n.longValue());
            load.failed.incrementAndGet();
            if (sender != null) {
              load.onDelivered.accept(sender); // keep the sender going; the failure is counted
            }
          }
        }
      });
      socket.closeHandler(v -> {
        load.closed.incrementAndGet();
        load.errors.merge("closed " + socket.closeStatusCode() + " " + socket.closeReason(), 1, Integer::sum);
      });
      if (prisoner) {
        load.prisoners[pair] = socket;
      }
      socket.writeTextMessage(new JsonObject().put("type", "auth").put("access_token", p.tokens()[prisoner ? 0 : 1]).encode());
      return ready.future();
    }).compose(v -> connectLoop(ws, port, pairs, next, load));
  }

  /** Every prisoner keeps one message in flight until its carer's socket has it. */
  private static Phase closedLoop(Vertx vertx, List<Pair> pairs, Load load, String padding, long nanos) throws InterruptedException {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    load.latencies = latencies;
    int failedBefore = load.failed.get();
    long end = System.nanoTime() + nanos;
    load.onDelivered = i -> {
      if (System.nanoTime() < end) {
        load.send(i, pairs.get(i).contactId(), padding);
      }
    };
    long start = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < pairs.size(); i++) {
        load.send(i, pairs.get(i).contactId(), padding);
      }
    });
    TimeUnit.NANOSECONDS.sleep(nanos);
    long elapsed = System.nanoTime() - start;
    int delivered = latencies.size(); // counted at the deadline: what arrives later is not in the rate
    drain(load);
    int lost = load.sentAt.size();
    load.sentAt.clear();
    return new Phase(toArray(latencies, delivered), delivered, load.failed.get() - failedBefore + lost, elapsed);
  }

  /** Messages at a fixed rate, round robin over the senders, whatever the answers (open loop). */
  private static Phase openLoop(Vertx vertx, List<Pair> pairs, Load load, String padding, long nanos, double perSecond)
      throws InterruptedException {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    load.latencies = latencies;
    load.onDelivered = i -> {};
    int failedBefore = load.failed.get();
    long intervalNanos = (long) (1e9 / perSecond);
    long total = Math.max(1, nanos / intervalNanos);
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    // a 1 ms timer sends whatever the schedule owes by now, so the rate holds above 1000/s too
    long timer = vertx.setPeriodic(1, id -> {
      long owed = Math.min(total, (System.nanoTime() - start) / intervalNanos + 1);
      while (sent.get() < owed) {
        int i = (int) (sent.getAndIncrement() % pairs.size());
        load.send(i, pairs.get(i).contactId(), padding);
      }
    });
    TimeUnit.NANOSECONDS.sleep(nanos);
    vertx.cancelTimer(timer);
    drain(load);
    long elapsed = System.nanoTime() - start;
    int lost = load.sentAt.size();
    load.sentAt.clear();
    int delivered = latencies.size();
    return new Phase(toArray(latencies, delivered), delivered, load.failed.get() - failedBefore + lost, elapsed);
  }

  /** Waits up to 10 s for the messages still in flight. */
  private static void drain(Load load) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!load.sentAt.isEmpty() && System.nanoTime() < until) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  static long[] toArray(ConcurrentLinkedQueue<Long> q, int n) {
    long[] out = new long[n];
    int i = 0;
    for (Long v : q) {
      if (i == n) {
        break;
      }
      out[i++] = v;
    }
    return out;
  }

  /** {@code redis-benchmark -c clients -n N XADD <stream> * body <payload>} against the node's Redis. */
  private static JsonObject ceiling(String redisUrl, int clients, int payload) {
    URI uri = URI.create(redisUrl);
    String stream = "kinlink:bench:xadd-ceiling:" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    int n = Math.max(20_000, clients * 50);
    List<String> cmd = new ArrayList<>(List.of("redis-benchmark", "-h", uri.getHost(), "-p", Integer.toString(uri.getPort()),
        "-c", Integer.toString(clients), "-n", Integer.toString(n), "-q"));
    String info = uri.getUserInfo();
    List<String> shown = new ArrayList<>(cmd);
    if (info != null && info.contains(":") && !info.endsWith(":")) {
      cmd.addAll(List.of("-a", info.substring(info.indexOf(':') + 1)));
      shown.addAll(List.of("-a", "<password>"));
    }
    List<String> tail = List.of("XADD", stream, "*", "body", "x".repeat(payload));
    cmd.addAll(tail);
    shown.addAll(List.of("XADD", stream, "'*'", "body", "<" + payload + " bytes>"));
    JsonObject out = new JsonObject().put("command", String.join(" ", shown)).put("clients", clients).put("requests", n);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = Pattern.compile("([0-9.]+) requests per second").matcher(text);
      String last = null;
      while (m.find()) {
        last = m.group(1);
      }
      if (last == null) {
        return out.put("error", "no rate in redis-benchmark's output: " + text.strip().lines().reduce((x, y) -> y).orElse(""));
      }
      out.put("xadd_per_s", Double.parseDouble(last));
      new ProcessBuilder(deleteCommand(cmd, tail.size(), stream)).redirectErrorStream(true).start().waitFor();
      return out;
    } catch (IOException e) {
      return out.put("error", "redis-benchmark not found (Debian: apt-get install redis-tools): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return out.put("error", "interrupted");
    }
  }

  /** redis-cli with the same host, port and password, deleting the benchmark's stream. */
  private static List<String> deleteCommand(List<String> benchmark, int tail, String stream) {
    List<String> cli = new ArrayList<>();
    cli.add("redis-cli");
    List<String> args = benchmark.subList(1, benchmark.size() - tail);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-c") || a.equals("-n")) {
        i++;
      } else if (!a.equals("-q")) {
        cli.add(a);
      }
    }
    cli.addAll(List.of("DEL", stream));
    return cli;
  }
}
