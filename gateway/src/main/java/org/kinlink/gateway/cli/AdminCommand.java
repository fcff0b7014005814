package org.kinlink.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kinlink admin}: the operator's tasks on a deployment, against the same data dir or Redis
 * URL as {@code serve}, with the gateway running or not. Each subcommand is idempotent, audited as
 * {@code cli:<os user>}, and refuses bad input with exit 2 naming the option.
 *
 * <p>To add a task, write a command class that mixes in {@link AdminTarget} and list it below.
 */
@Command(name = "admin", description = "Operator tasks: bootstrap a deployment, add establishments, reset a staff sign-in, enrol or withdraw kiosks.",
    subcommands = {
        AdminBootstrapCommand.class,
        AdminEstablishmentCommand.class,
        AdminStaffCommand.class,
        AdminDeviceCommand.class,
        AdminRotateMasterKeyCommand.class,
    })
public final class AdminCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "say which: " + String.join(", ", spec.subcommands().keySet().stream().map(n -> "admin " + n).toList()));
  }
}
