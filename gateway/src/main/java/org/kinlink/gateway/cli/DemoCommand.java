package org.kinlink.gateway.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.config.ConfigLoader;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.demo.DemoData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinlink demo}: embedded Redis + gateway on loopback with the demo people of docs/cli.md. */
@Command(name = "demo", description = "Run a demo gateway on 127.0.0.1 with demo data (plain HTTP).")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8080", description = "port (default 8080)")
  int port;

  @Option(names = "--data-dir", defaultValue = "./data/demo", description = "data directory (default ./data/demo)")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig base = GatewayConfig.defaults();
    GatewayConfig config = new GatewayConfig("127.0.0.1", port, dataDir, Optional.empty(), true,
        Optional.empty(), Optional.empty(), base.verticles(), base.maxBodyBytes(), base.redisCommandTimeout(),
        base.accessTokenTtl(), base.refreshTokenTtl(), base.auditCheckpointEvery(), base.auditCheckpointInterval(), true);
    // the port must be valid before anything starts; of the environment only the messaging share applies
    // (0 unless set: the demo's stories stay predictable)
    config = new ConfigLoader().flag("port", port)
        .environment(ConfigLoader.only(System.getenv(), "messaging-random-review-share")).build(config);
    long started = System.nanoTime();
    // ready only once the demo data is in: a sign-in right after ready must work
    Gateway gateway = Gateway.start(config, List.of(new Gateway.StartupTask("demo-data",
        "the demo establishments, people and contacts are being loaded", s -> DemoData.loadOnce(s.demoParts()))));
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(DemoData.banner(gateway.baseUrl()));
    System.out.println("Ready in " + millis + " ms. Stop with Ctrl-C; data is kept in " + dataDir.toAbsolutePath() + ".");
    ServeCommand.runUntilStopped(gateway);
    return 0;
  }
}
