package org.kinlink.gateway.cli;

import org.kinlink.gateway.bench.CallsBench;
import org.kinlink.gateway.bench.FuzzBench;
import org.kinlink.gateway.bench.MessagesBench;
import org.kinlink.gateway.bench.PolicyPropagationBench;
import org.kinlink.gateway.bench.SignInBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kinlink bench}: load generators against a running gateway; each prints a JSON summary as its last line. */
@Command(name = "bench", description = "Load generators against a running gateway (JSON summary as the last line).",
    subcommands = {SignInBench.class, PolicyPropagationBench.class, FuzzBench.class, MessagesBench.class,
        CallsBench.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a scenario, e.g. 'kinlink bench signin'");
  }
}
