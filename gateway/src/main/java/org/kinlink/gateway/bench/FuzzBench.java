package org.kinlink.gateway.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.demo.DemoData;
import org.kinlink.gateway.demo.DemoIds;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kinlink bench fuzz}: a bounded number of malformed requests (and WebSocket frames, when the
 * gateway has {@code /ws}) made from the running gateway's own OpenAPI document. Prints the statuses,
 * then a JSON summary as its last line; exits 1 if any answer was a 5xx.
 */
@Command(name = "fuzz", description = "Send malformed requests and WebSocket frames; prints status counts and a JSON summary last; exit 1 on any 5xx.")
public final class FuzzBench implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "gateway base URL (default http://127.0.0.1:8080)")
  URI url;

  @Option(names = "--requests", defaultValue = "3000", description = "requests in all (default 3000)")
  int requests;

  @Option(names = "--seed", defaultValue = "1", description = "seed for the order and choice of cases (default 1)")
  long seed;

  @Option(names = "--concurrency", defaultValue = "4", description = "requests in flight at once (default 4)")
  int concurrency;

  @Override
  public Integer call() throws InterruptedException {
    if (requests < 1 || requests > 1_000_000) {
      throw new ParameterException(spec.commandLine(), "--requests must be from 1 to 1000000");
    }
    if (concurrency < 1 || concurrency > 64) {
      throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 64");
    }
    if (url.getHost() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
      throw new ParameterException(spec.commandLine(), "--url must be http://host:port or https://host:port");
    }
    var out = spec.commandLine().getOut();
    FuzzTarget target = new FuzzTarget(url);
    JsonObject doc = contract(target);
    List<String> tokens = signIns(target);
    boolean websocket = hasWebSocket(target, tokens);
    List<FuzzCases.Case> cases = new FuzzCases(doc, target.hostHeader(), tokens, seed).all(websocket);
    out.printf("fuzz: %d cases from %d paths, %d demo sign-ins, WebSocket %s; sending %d%n", cases.size(),
        doc.getJsonObject("paths", new JsonObject()).size(), tokens.size(), websocket ? "yes" : "not there", requests);
    out.flush();

    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    Map<String, Map<Integer, LongAdder>> byKind = new ConcurrentHashMap<>();
    List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
    LongAdder wsClosed = new LongAdder();
    LongAdder wsOpen = new LongAdder();
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    for (int w = 0; w < concurrency; w++) {
      pool.execute(() -> {
        int i;
        while ((i = next.getAndIncrement()) < requests) {
          FuzzCases.Case c = cases.get(i % cases.size());
          FuzzTarget.Answer a = c.websocket() ? target.websocket(c.request(), c.wsFrames()) : target.exchange(c.request());
          statuses.computeIfAbsent(a.status(), k -> new LongAdder()).increment();
          byKind.computeIfAbsent(c.kind(), k -> new ConcurrentHashMap<>()).computeIfAbsent(a.status(), k -> new LongAdder()).increment();
          if (c.websocket() && a.status() == 101) {
            ("closed".equals(a.body()) ? wsClosed : wsOpen).increment();
          }
          if (a.status() >= 500 && serverErrors.size() < 20) {
            serverErrors.add(a.status() + " " + c.kind() + " " + c.operation() + ": " + firstLine(c.request()));
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    JsonObject statusJson = new JsonObject();
    long fiveXx = 0;
    for (var e : new TreeMap<>(statuses).entrySet()) {
      long n = e.getValue().sum();
      out.printf("status %-9s %d%n", label(e.getKey()), n);
      statusJson.put(label(e.getKey()), n);
      if (e.getKey() >= 500) {
        fiveXx += n;
      }
    }
    JsonObject kinds = new JsonObject();
    for (var k : new TreeMap<>(byKind).entrySet()) {
      JsonObject counts = new JsonObject();
      new TreeMap<>(k.getValue()).forEach((status, n) -> counts.put(label(status), n.sum()));
      kinds.put(k.getKey(), counts);
      out.printf("%-15s %s%n", k.getKey(), counts.encode());
    }
    for (String e : serverErrors) {
      out.println("5xx: " + e);
    }
    JsonObject summary = new JsonObject()
        .put("scenario", "fuzz")
        .put("url", url.toString())
        .put("seed", seed)
        .put("requests", requests)
        .put("distinct_cases", cases.size())
        .put("statuses", statusJson)
        .put("by_kind", kinds)
        .put("5xx", fiveXx)
        .put("websocket", websocket)
        .put("websocket_closed_after_bad_frame", wsClosed.sum())
        .put("websocket_left_open", wsOpen.sum())
        .put("elapsed_ms", elapsedMs);
    out.println(summary.encode());
    out.flush();
    return fiveXx == 0 ? 0 : 1;
  }

  private static String label(int status) {
    return switch (status) {
      case FuzzTarget.NO_ANSWER -> "no-answer";
      case FuzzTarget.TIMED_OUT -> "timed-out";
      default -> Integer.toString(status);
    };
  }

  private static String firstLine(byte[] request) {
    String s = new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
    int end = s.indexOf('\r');
    return end < 0 ? s : s.substring(0, end);
  }

  @SuppressWarnings("unchecked")
  private JsonObject contract(FuzzTarget target) {
    FuzzTarget.Answer a = target.exchange(("GET /api/v1/openapi.yaml HTTP/1.1\r\nHost: " + target.hostHeader()
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    if (a.status() != 200) {
      throw new ParameterException(spec.commandLine(), "cannot read " + url + "/api/v1/openapi.yaml (status " + label(a.status()) + ")");
    }
    Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(a.body());
    return new JsonObject(new JsonObject((Map<String, Object>) yaml).encode());
  }

  /** Tokens of the demo's users, so that half the cases reach the handlers behind sign-in. */
  private static List<String> signIns(FuzzTarget target) {
    List<String> tokens = new ArrayList<>();
    DemoData.KioskLogin kiosk = DemoData.KIOSK_LOGINS.get(0);
    signIn(target, "/api/v1/auth/kiosk", new JsonObject().put("prison_number", kiosk.prisonNumber()).put("pin", kiosk.pin())
        .put("device_id", kiosk.device()), tokens);
    for (DemoData.PasswordLogin p : DemoData.PASSWORD_LOGINS) {
      if (!p.totp() || p.email().startsWith("security@") || p.email().startsWith("admin")) {
        JsonObject body = new JsonObject().put("email", p.email()).put("password", p.password());
        if (p.totp()) {
          body.put("otp", Totp.code(DemoIds.TOTP_SECRET, Totp.step(Instant.now())));
        }
        signIn(target, "/api/v1/auth/login", body, tokens);
      }
    }
    return tokens;
  }

  private static void signIn(FuzzTarget target, String path, JsonObject body, List<String> tokens) {
    byte[] json = body.encode().getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + target.hostHeader() + "\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = java.util.Arrays.copyOf(head, head.length + json.length);
    System.arraycopy(json, 0, request, head.length, json.length);
    FuzzTarget.Answer a = target.exchange(request);
    if (a.status() == 200) {
      try {
        tokens.add(new JsonObject(a.body()).getString("access_token"));
      } catch (RuntimeException notJson) {
        // no token from this one: the cases go without it
      }
    }
  }

  private static boolean hasWebSocket(FuzzTarget target, List<String> tokens) {
    String token = tokens.isEmpty() ? "" : "?access_token=" + tokens.get(0);
    FuzzTarget.Answer a = target.websocket(("GET /ws" + token + " HTTP/1.1\r\nHost: " + target.hostHeader()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), new byte[] {(byte) 0x88, (byte) 0x80, 0, 0, 0, 0});
    return a.status() == 101;
  }
}
