package org.kinlink.gateway.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.kinlink.gateway.people.Establishment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code kinlink admin establishment add}: another prison on the deployment (its first admin: {@code admin bootstrap}). */
@Command(name = "establishment", description = "Establishments of the deployment.", subcommands = AdminEstablishmentCommand.Add.class)
public final class AdminEstablishmentCommand implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say which: admin establishment add");
  }

  /** Adds an establishment; the same again changes nothing. */
  @Command(name = "add", description = "Add an establishment; its first admin is made with `admin bootstrap`.")
  public static final class Add implements Callable<Integer> {
    @Mixin
    AdminTarget target;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    EstablishmentOptions establishment;

    @Override
    public Integer call() {
      CommandLine cli = spec.commandLine();
      String id = establishment.id();
      String name = establishment.name();
      try (AdminTarget.Session s = target.open()) {
        Optional<Establishment> existing = AuditCommand.await(s.directory().establishment(id));
        if (existing.isPresent()) {
          if (!existing.get().name().equals(name)) {
            return AdminBootstrapCommand.refuse(cli, "establishment " + id + " exists as '" + existing.get().name()
                + "', not '" + name + "'; nothing changed");
          }
          s.audit(s.event("establishment.add").establishment(id).outcome("UNCHANGED").detail("establishment", id));
          cli.getOut().println("establishment " + id + " (" + name + ") already exists; nothing changed.");
          cli.getOut().flush();
          return 0;
        }
        Establishment created = new Establishment(id, name);
        AuditCommand.await(s.directory().putEstablishment(created));
        s.audit(s.event("establishment.add").establishment(id).detail("after", created.toJson()));
        cli.getOut().println("added establishment " + id + " (" + name + "). Its first admin: kinlink admin bootstrap"
            + " --establishment " + id + " --establishment-name \"" + name + "\" --email EMAIL");
        cli.getOut().flush();
        return 0;
      }
    }
  }
}
