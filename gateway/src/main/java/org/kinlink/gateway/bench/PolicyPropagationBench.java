package org.kinlink.gateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.crypto.Totp;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.contacts.ContactDecisions;
import org.kinlink.gateway.contacts.ContactEvents;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;
import org.kinlink.gateway.people.StaffAccount;
import org.kinlink.policy.model.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kinlink bench policy-propagation}: starts two gateway nodes on one Redis (the bundled one
 * unless {@code --redis-url}), signs an officer in, and measures through the HTTP API:
 * <ul>
 *   <li>{@code POST /policy/evaluate} latency with a warm cache, and just after the node's cached
 *       policies were invalidated;</li>
 *   <li>for each of {@code --changes} restriction changes made with {@code PUT /contacts/{id}/policy}
 *       on node A (alternately taking video calls away and giving them back): the time until node A
 *       acknowledged, until node B's next decision reflected it, and until node B raised its local
 *       {@code kinlink.contact.changed} event (the one live calls act on).</li>
 * </ul>
 * Prints a JSON summary as its last line. Nothing here is a pass/fail timing test.
 */
@Command(name = "policy-propagation",
    description = "Two nodes on one Redis: evaluate latency (warm, after invalidation) and restriction-change propagation A->B; JSON summary last.")
public final class PolicyPropagationBench implements Callable<Integer> {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long DEADLINE_NANOS = 10_000_000_000L;

  @Spec
  CommandSpec spec;

  @Option(names = "--changes", defaultValue = "300", description = "restriction changes to propagate (default 300)")
  int changes;

  @Option(names = "--requests", defaultValue = "500", description = "evaluate calls per latency sample (default 500)")
  int requests;

  @Option(names = "--redis-url", description = "Redis both nodes use (default: a bundled Redis in a temporary directory)")
  String redisUrl;

  @Override
  public Integer call() throws IOException {
    if (changes < 1 || changes > 100_000 || requests < 1 || requests > 1_000_000) {
      throw new ParameterException(spec.commandLine(), "--changes must be 1..100000 and --requests 1..1000000");
    }
    Gateway a = Gateway.start(config(Optional.ofNullable(redisUrl)));
    Gateway b = null;
    Vertx vertx = Vertx.vertx();
    try {
      String url = redisUrl != null ? redisUrl : a.embeddedRedis().url();
      b = Gateway.start(config(Optional.of(url)));
      WebClient onA = client(vertx, a);
      WebClient onB = client(vertx, b);
      Seed seed = seed(a, onA);
      JsonObject ask = new JsonObject().put("contact_id", seed.contactId()).put("action", "BOOK_CALL").put("duration", "PT30M");

      for (int i = 0; i < Math.max(200, requests / 2); i++) {
        effect(onA, seed.token(), ask); // warm-up: JIT, connections, caches
      }
      // warm and just-after-invalidation alternate, so both see the same machine state
      long[] warm = new long[requests];
      long[] cold = new long[requests];
      for (int i = 0; i < requests; i++) {
        long t0 = System.nanoTime();
        effect(onA, seed.token(), ask);
        warm[i] = System.nanoTime() - t0;
        a.services().contacts().snapshots().invalidateAll();
        t0 = System.nanoTime();
        effect(onA, seed.token(), ask);
        cold[i] = System.nanoTime() - t0;
      }
      // for scale: the cheapest signed-in API call on the same node (sign-in check, routing, one Redis read)
      long[] baseline = new long[requests];
      for (int i = 0; i < requests; i++) {
        long t0 = System.nanoTime();
        HttpResponse<Buffer> me = Gateway.await(onA.get("/api/v1/contacts/" + seed.contactId())
            .putHeader("Authorization", "Bearer " + seed.token()).send());
        if (me.statusCode() != 200) {
          throw new IllegalStateException("GET contact answered " + me.statusCode());
        }
        baseline[i] = System.nanoTime() - t0;
      }
      // what messaging and calls pay: the decision service in process, without HTTP and sign-in
      ContactDecisions decisions = a.services().contacts().decisions();
      ContactDecisions.Ask inProcess = new ContactDecisions.Ask(Action.BOOK_CALL, seed.contactId(), null,
          ContactDecisions.As.PRISONER, null, List.of(), Duration.ofMinutes(30), null, false,
          ContactDecisions.CALL_OBLIGATIONS);
      long[] direct = new long[requests];
      for (int i = 0; i < requests; i++) {
        long t0 = System.nanoTime();
        Gateway.await(decisions.decide(inProcess));
        direct[i] = System.nanoTime() - t0;
      }

      Map<Integer, Long> heardOnB = new ConcurrentHashMap<>();
      b.services().vertx().eventBus().<JsonObject>consumer(ContactEvents.CONTACT_CHANGED, m -> {
        if (seed.contactId().equals(m.body().getString("contact_id"))) {
          heardOnB.putIfAbsent(m.body().getInteger("version"), System.nanoTime());
        }
      });
      effect(onB, seed.token(), ask);
      long[] ack = new long[changes];
      long[] decision = new long[changes];
      long[] event = new long[changes];
      int failed = 0;
      int version = seed.version();
      JsonObject policy = seed.policy();
      long start = System.nanoTime();
      for (int i = 0; i < changes; i++) {
        boolean video = i % 2 == 1;
        policy = policy.copy().put("channels", video ? new JsonArray(List.of("MESSAGE", "VIDEO")) : new JsonArray(List.of("MESSAGE")));
        String expected = video ? "PERMIT" : "DENY";
        long t0 = System.nanoTime();
        HttpResponse<Buffer> put = Gateway.await(onA.put("/api/v1/contacts/" + seed.contactId() + "/policy")
            .putHeader("Authorization", "Bearer " + seed.token()).putHeader("If-Match", "\"" + version + "\"")
            .sendJsonObject(new JsonObject().put("policy", policy).put("reason", "bench change " + i)));
        if (put.statusCode() != 200) {
          throw new IllegalStateException("PUT policy answered " + put.statusCode() + ": " + put.bodyAsString());
        }
        ack[i] = System.nanoTime() - t0;
        version = put.bodyAsJsonObject().getInteger("version");
        String seen;
        do {
          seen = effect(onB, seed.token(), ask);
        } while (!expected.equals(seen) && System.nanoTime() - t0 < DEADLINE_NANOS);
        decision[i] = System.nanoTime() - t0;
        while (!heardOnB.containsKey(version) && System.nanoTime() - t0 < DEADLINE_NANOS) {
          Thread.onSpinWait();
        }
        Long heard = heardOnB.get(version);
        event[i] = heard == null ? DEADLINE_NANOS : heard - t0;
        if (!expected.equals(seen) || heard == null) {
          failed++;
        }
      }
      long elapsed = System.nanoTime() - start;
      JsonObject summary = new JsonObject().put("scenario", "policy-propagation")
          .put("nodes", 2).put("redis", redisUrl != null ? "external" : "bundled")
          .put("evaluate_warm", LatencySummary.of("evaluate-warm", warm, requests, 0, 1, sum(warm)))
          .put("evaluate_after_invalidation", LatencySummary.of("evaluate-after-invalidation", cold, requests, 0, 1, sum(cold)))
          .put("get_contact_for_scale", LatencySummary.of("get-contact", baseline, requests, 0, 1, sum(baseline)))
          .put("decide_in_process_warm", LatencySummary.of("decide-in-process", direct, requests, 0, 1, sum(direct)))
          .put("change_acknowledged_on_a", LatencySummary.of("put-policy-ack", ack, changes - failed, failed, 1, elapsed))
          .put("new_decision_on_b", LatencySummary.of("put-to-decision-on-b", decision, changes - failed, failed, 1, elapsed))
          .put("event_on_b", LatencySummary.of("put-to-event-on-b", event, changes - failed, failed, 1, elapsed));
      spec.commandLine().getOut().println(summary.encode());
      spec.commandLine().getOut().flush();
      return failed == 0 ? 0 : 1;
    } finally {
      Gateway.await(vertx.close());
      if (b != null) {
        b.close();
      }
      a.close();
    }
  }

  private record Seed(String token, String contactId, int version, JsonObject policy) {}

  /** A fresh establishment with an officer (signed in), a prisoner, a carer and their approved contact. */
  private static Seed seed(Gateway a, WebClient client) {
    Directory directory = a.services().directory();
    SecretHasher hasher = new SecretHasher();
    String suffix = Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    String est = "bench-" + suffix;
    String password = "bench-" + suffix;
    String totp = Totp.newSecret();
    Instant now = Instant.now();
    Gateway.await(directory.putEstablishment(new Establishment(est, "HMP Bench " + suffix)));
    StaffAccount officer = new StaffAccount("st-bench-" + suffix, "officer-" + suffix + "@bench.kinlink.test", "Bench Officer",
        Role.OFFICER, est, hasher.hashNow(password), totp, false, now);
    Gateway.await(directory.createStaff(officer));
    String number;
    while (true) {
      number = "" + (char) ('A' + RANDOM.nextInt(26)) + String.format("%04d", RANDOM.nextInt(10000))
          + (char) ('A' + RANDOM.nextInt(26)) + (char) ('A' + RANDOM.nextInt(26));
      try {
        Gateway.await(directory.createPrisoner(new Prisoner(PrisonNumber.prisonerId(number), number, "Bench Prisoner", est,
            Clearance.FULL, EnumSet.noneOf(PrisonerFlag.class), hasher.hashNow("0000"), now)));
        break;
      } catch (RuntimeException taken) {
        // that prison number exists already: draw another
      }
    }
    PersonOutside carer = new PersonOutside("pe-bench-" + suffix, PersonKind.CARER, "Bench Carer", null, null, null, true, null,
        List.of(est), now);
    Gateway.await(directory.createPerson(carer));
    HttpResponse<Buffer> login = Gateway.await(client.post("/api/v1/auth/login").sendJsonObject(new JsonObject()
        .put("email", officer.email()).put("password", password).put("otp", Totp.code(totp, Totp.step(Instant.now())))));
    if (login.statusCode() != 200) {
      throw new IllegalStateException("officer sign-in failed: " + login.bodyAsString());
    }
    String token = login.bodyAsJsonObject().getString("access_token");
    JsonObject policy = new JsonObject().put("state", "PENDING").put("relationship", "CARER").put("oversight", "RECORDED")
        .put("channels", new JsonArray(List.of("MESSAGE", "VIDEO")));
    HttpResponse<Buffer> created = Gateway.await(client.post("/api/v1/contacts").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("prisoner_id", PrisonNumber.prisonerId(number)).put("person_id", carer.id())
            .put("relationship", "CARER").put("policy", policy)));
    if (created.statusCode() != 201) {
      throw new IllegalStateException("proposal failed: " + created.bodyAsString());
    }
    String id = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> approved = Gateway.await(client.post("/api/v1/contacts/" + id + "/approve")
        .putHeader("Authorization", "Bearer " + token).sendJsonObject(new JsonObject().put("reason", "bench")));
    if (approved.statusCode() != 200) {
      throw new IllegalStateException("approval failed: " + approved.bodyAsString());
    }
    HttpResponse<Buffer> current = Gateway.await(client.get("/api/v1/contacts/" + id + "/policy")
        .putHeader("Authorization", "Bearer " + token).send());
    return new Seed(token, id, current.bodyAsJsonObject().getInteger("version"), current.bodyAsJsonObject().getJsonObject("policy"));
  }

  private static String effect(WebClient client, String token, JsonObject ask) {
    HttpResponse<Buffer> r = Gateway.await(client.post("/api/v1/policy/evaluate").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(ask));
    if (r.statusCode() != 200) {
      throw new IllegalStateException("evaluate answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getJsonObject("decision").getString("effect");
  }

  /** A node config on a fresh temporary data dir and port, one verticle, not in demo mode. */
  static GatewayConfig config(Optional<String> redis) throws IOException {
    return config(redis, 1);
  }

  /** As {@link #config(Optional)} with {@code verticles} HTTP verticles (event loops serving requests and sockets). */
  static GatewayConfig config(Optional<String> redis, int verticles) throws IOException {
    Path dir = Files.createTempDirectory("kinlink-bench");
    GatewayConfig d = GatewayConfig.defaults();
    return new GatewayConfig("127.0.0.1", 0, dir, redis, true, Optional.empty(), Optional.empty(), verticles, d.maxBodyBytes(),
        d.redisCommandTimeout(), d.accessTokenTtl(), d.refreshTokenTtl(), d.auditCheckpointEvery(),
        d.auditCheckpointInterval(), false);
  }

  private static WebClient client(Vertx vertx, Gateway g) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(g.port()).setKeepAlive(true));
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }
}
