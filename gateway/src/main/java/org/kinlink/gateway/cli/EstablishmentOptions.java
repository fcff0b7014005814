package org.kinlink.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --establishment ID --establishment-name NAME}, as the admin commands that make one take them. */
public final class EstablishmentOptions {
  @Spec(Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--establishment", required = true, paramLabel = "ID", description = "establishment id, e.g. styal")
  String id;

  @Option(names = "--establishment-name", required = true, paramLabel = "NAME", description = "its name, e.g. \"HMP Styal\"")
  String name;

  /** The id, checked (exit 2 naming {@code --establishment}). */
  String id() {
    return AdminInput.id(spec.commandLine(), "--establishment", id);
  }

  /** The name, trimmed and checked (exit 2 naming {@code --establishment-name}). */
  String name() {
    return AdminInput.name(spec.commandLine(), "--establishment-name", name);
  }
}
