package org.kinlink.gateway.cli;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kinlink audit}: check, export and measure the audit chain. */
@Command(name = "audit", description = "Verify, export or benchmark the audit log.",
    subcommands = {AuditVerifyCommand.class, AuditExportCommand.class, AuditBenchCommand.class})
public final class AuditCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say which: audit verify, audit export or audit bench");
  }

  /** Waits without a deadline (a long chain takes as long as it takes); the CLI thread is no event loop. */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    }
  }
}
