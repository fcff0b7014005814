package org.kinlink.gateway.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.demo.DemoData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kinlink bench signin}: signs the demo users in again and again against a running
 * {@code kinlink demo} — the four kiosk prisoners and the carer (staff and professionals need a
 * fresh TOTP code per sign-in, so they cannot be repeated). Prints a JSON summary as its last line.
 */
@Command(name = "signin", description = "Sign the demo users in repeatedly; prints a JSON summary (p50/p99/max, throughput) last.")
public final class SignInBench implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "gateway base URL (default http://127.0.0.1:8080)")
  URI url;

  @Option(names = "--requests", defaultValue = "200", description = "sign-ins in all (default 200)")
  int requests;

  @Option(names = "--concurrency", defaultValue = "4", description = "sign-ins in flight at once (default 4)")
  int concurrency;

  @Override
  public Integer call() {
    if (requests < 1 || requests > 1_000_000) {
      throw new ParameterException(spec.commandLine(), "--requests must be from 1 to 1000000");
    }
    if (concurrency < 1 || concurrency > 1000) {
      throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 1000");
    }
    if (url.getHost() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
      throw new ParameterException(spec.commandLine(), "--url must be http://host:port or https://host:port");
    }
    List<Call> calls = calls();
    Vertx vertx = Vertx.vertx();
    try {
      boolean tls = url.getScheme().equals("https");
      int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(url.getHost()).setDefaultPort(port)
          .setSsl(tls).setTrustAll(tls).setVerifyHost(false).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
      long[] latencies = new long[requests];
      AtomicInteger next = new AtomicInteger();
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      long start = System.nanoTime();
      Promise<Void> done = Promise.promise();
      AtomicInteger finished = new AtomicInteger();
      vertx.runOnContext(v -> {
        for (int w = 0; w < Math.min(concurrency, requests); w++) {
          loop(client, calls, latencies, next, ok, failed, finished, done);
        }
      });
      Gateway.await(done.future());
      long elapsed = System.nanoTime() - start;
      JsonObject summary = LatencySummary.of("signin", latencies, ok.get(), failed.get(), concurrency, elapsed);
      spec.commandLine().getOut().println(summary.encode());
      spec.commandLine().getOut().flush();
      return failed.get() == 0 ? 0 : 1;
    } finally {
      Gateway.await(vertx.close());
    }
  }

  private record Call(String path, JsonObject body) {}

  private static List<Call> calls() {
    List<Call> out = new java.util.ArrayList<>();
    for (DemoData.KioskLogin k : DemoData.KIOSK_LOGINS) {
      out.add(new Call("/api/v1/auth/kiosk", new JsonObject().put("prison_number", k.prisonNumber()).put("pin", k.pin())
          .put("device_id", k.device())));
    }
    for (DemoData.PasswordLogin p : DemoData.PASSWORD_LOGINS) {
      if (!p.totp()) {
        out.add(new Call("/api/v1/auth/login", new JsonObject().put("email", p.email()).put("password", p.password())));
      }
    }
    return out;
  }

  private static void loop(WebClient client, List<Call> calls, long[] latencies, AtomicInteger next, AtomicInteger ok,
      AtomicInteger failed, AtomicInteger finished, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= latencies.length) {
      return;
    }
    Call call = calls.get(i % calls.size());
    long t0 = System.nanoTime();
    client.post(call.path()).sendJsonObject(call.body()).onComplete(ar -> {
      latencies[i] = System.nanoTime() - t0;
      if (ar.succeeded() && ar.result().statusCode() == 200) {
        ok.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
      if (finished.incrementAndGet() == latencies.length) {
        done.tryComplete();
      } else {
        loop(client, calls, latencies, next, ok, failed, finished, done);
      }
    });
  }
}
