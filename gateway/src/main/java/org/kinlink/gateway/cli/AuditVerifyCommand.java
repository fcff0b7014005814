package org.kinlink.gateway.cli;

import java.util.concurrent.Callable;
import org.kinlink.gateway.audit.AuditVerification;
import org.kinlink.gateway.audit.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinlink audit verify}: walks the whole chain and checks every checkpoint, including the
 * data directory's. Prints one line; exit 0 only when the chain is whole, 1 when it is not (the
 * line names the first bad entry), 2 on bad usage.
 */
@Command(name = "verify", description = "Prove the audit chain is whole; exit 0 whole, 1 broken (names the first bad entry), 2 bad usage.")
public final class AuditVerifyCommand implements Callable<Integer> {
  @Mixin
  AuditTarget target;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "print the result as JSON {ok, entries, last_checkpoint, first_bad}")
  boolean json;

  @Override
  public Integer call() {
    try (AuditTarget.Opened chain = target.open()) {
      AuditVerification result = AuditCommand.await(
          new AuditVerifier(chain.redis(), chain.namespace(), null).verify(chain.file(), chain.key()));
      spec.commandLine().getOut().println(json ? result.toJson().encode() : result.summary());
      spec.commandLine().getOut().flush();
      return result.ok() ? 0 : 1;
    }
  }
}
