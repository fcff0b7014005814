package org.kinlink.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.ConfigLoader;
import org.kinlink.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinlink serve}: production mode. Settings from file, then KINLINK_* env, then flags. */
@Command(name = "serve", description = "Run the gateway (TLS unless --insecure-http).")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", description = "YAML file of settings")
  Path configFile;

  @Option(names = "--host", description = "address to bind (default 127.0.0.1)")
  String host;

  @Option(names = "--port", description = "port to listen on (default 8443)")
  Integer port;

  @Option(names = "--data-dir", description = "where the embedded Redis, TLS certificate and audit checkpoint live")
  Path dataDir;

  @Option(names = "--redis-url", description = "redis://, rediss:// or redis-cluster:// URL; without it the bundled Redis runs under --data-dir")
  String redisUrl;

  @Option(names = "--insecure-http", description = "serve plain HTTP (only behind a TLS-terminating proxy)")
  Boolean insecureHttp;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig config = new ConfigLoader()
        .file(configFile)
        .environment(System.getenv())
        .flag("host", host)
        .flag("port", port)
        .flag("data-dir", dataDir)
        .flag("redis-url", redisUrl)
        .flag("insecure-http", insecureHttp)
        .build(GatewayConfig.defaults());
    Gateway gateway = Gateway.start(config);
    System.out.println("Kinlink gateway ready at " + gateway.baseUrl());
    runUntilStopped(gateway);
    return 0;
  }

  /** Blocks until SIGTERM/SIGINT, then shuts the gateway down in order. */
  static void runUntilStopped(Gateway gateway) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "kinlink-shutdown"));
    stopped.await();
  }
}
