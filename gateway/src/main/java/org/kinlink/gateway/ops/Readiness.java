package org.kinlink.gateway.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What {@code /health/ready} answers: the node is ready only when every check is. Two kinds of
 * check: <em>states</em> that start-up and supervisors set (background work started, demo data
 * loaded, the embedded Redis running), and <em>probes</em> asked on every request (Redis answers).
 * A not-ready check carries a sentence for the operator saying what is missing.
 *
 * <p>Advisories are not checks: they never make the node unready (a node with no administrator
 * yet answers every request correctly) but are shown in the body and the log so the operator
 * knows what to do next.
 */
public final class Readiness {
  /** One check's answer: {@code ready}, or not with the reason. */
  public record Status(boolean ready, String state, String message) {
    public static Status up() {
      return new Status(true, "UP", null);
    }

    public static Status down(String state, String message) {
      return new Status(false, state, message);
    }
  }

  /** The whole answer. */
  public record Report(boolean ready, Map<String, Status> checks, List<String> advice) {
    public JsonObject toJson() {
      JsonObject checksJson = new JsonObject();
      List<String> notReady = new ArrayList<>();
      checks.forEach((name, s) -> {
        checksJson.put(name, s.state());
        if (!s.ready()) {
          notReady.add(name + ": " + s.message());
        }
      });
      JsonObject body = new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", checksJson);
      if (!notReady.isEmpty()) {
        body.put("not_ready", String.join("; ", notReady));
      }
      if (!advice.isEmpty()) {
        body.put("advice", String.join("; ", advice));
      }
      return body;
    }
  }

  // insertion order is the order the body lists them
  private final Map<String, Status> states = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Supplier<Future<Status>>> probes = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Future<String>>> advisories = new ConcurrentHashMap<>();

  /** Marks a check not ready (or registers it so). */
  public void pending(String name, String state, String message) {
    states.put(name, Status.down(state, message));
  }

  /** Marks a check ready. */
  public void ready(String name) {
    states.put(name, Status.up());
  }

  /** A check asked on every readiness request; it must answer quickly and never fail. */
  public void probe(String name, Supplier<Future<Status>> probe) {
    probes.put(name, probe);
  }

  /** Advice shown while {@code advisory} answers a sentence (null: nothing to say). */
  public void advise(String name, Supplier<Future<String>> advisory) {
    advisories.put(name, advisory);
  }

  /** Asks every probe and advisory and combines them with the states. */
  public Future<Report> check() {
    Map<String, Future<Status>> asked = new LinkedHashMap<>();
    probes.forEach((name, probe) -> asked.put(name, probe.get().otherwise(e -> Status.down("DOWN", e.getMessage()))));
    List<Future<String>> advice = new ArrayList<>();
    advisories.values().forEach(a -> advice.add(a.get().otherwise((String) null)));
    List<Future<?>> all = new ArrayList<>(asked.values());
    all.addAll(advice);
    return Future.join(all).otherwiseEmpty().map(x -> {
      Map<String, Status> checks = new LinkedHashMap<>();
      asked.forEach((name, f) -> checks.put(name, f.result()));
      synchronized (states) {
        checks.putAll(states);
      }
      boolean ready = checks.values().stream().allMatch(Status::ready);
      List<String> sentences = advice.stream().map(Future::result).filter(s -> s != null && !s.isBlank()).toList();
      return new Report(ready, checks, sentences);
    });
  }
}
