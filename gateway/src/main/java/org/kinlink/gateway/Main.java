package org.kinlink.gateway;

import org.kinlink.gateway.cli.AdminCommand;
import org.kinlink.gateway.cli.AuditCommand;
import org.kinlink.gateway.cli.BenchCommand;
import org.kinlink.gateway.cli.DemoCommand;
import org.kinlink.gateway.cli.ServeCommand;
import org.kinlink.gateway.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code kinlink} command line. */
@Command(
    name = "kinlink",
    mixinStandardHelpOptions = true,
    version = "kinlink 0.1.0",
    description = "Secure messaging and video-contact gateway for prisons.",
    subcommands = {ServeCommand.class, DemoCommand.class, BenchCommand.class, AuditCommand.class, AdminCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code: 0 ok, 1 failure, 2 bad usage or configuration. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException ce) {
        commandLine.getErr().println("kinlink: configuration error: " + ce.getMessage());
        return 2;
      }
      commandLine.getErr().println("kinlink: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
