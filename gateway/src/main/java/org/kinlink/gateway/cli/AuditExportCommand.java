package org.kinlink.gateway.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditFilter;
import org.kinlink.gateway.audit.AuditFormat;
import org.kinlink.gateway.audit.AuditReader;
import org.kinlink.gateway.audit.RedisAuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kinlink audit export}: matching entries to stdout as JSON lines or CSV, oldest first.
 * The export is itself appended to the chain ({@code audit.export}, actor {@code cli:<os user>})
 * and covers only entries before that record.
 */
@Command(name = "export", description = "Write audit entries to stdout as ndjson or csv.")
public final class AuditExportCommand implements Callable<Integer> {
  private static final int PAGE = 1000;

  @Mixin
  AuditTarget target;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", description = "entries at or after (ISO-8601 date-time or date)")
  String from;

  @Option(names = "--to", description = "entries before (ISO-8601 date-time or date)")
  String to;

  @Option(names = "--prisoner", description = "only entries about this prisoner")
  String prisoner;

  @Option(names = "--contact", description = "only entries about this contact")
  String contact;

  @Option(names = "--action", description = "only entries with this action, e.g. auth.login")
  String action;

  @Option(names = "--establishment", description = "only entries visible to this establishment (default: all)")
  String establishment;

  @Option(names = "--format", defaultValue = "ndjson", description = "ndjson (default) or csv")
  String format;

  @Override
  public Integer call() {
    AuditFormat fmt;
    try {
      fmt = AuditFormat.fromName(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format " + e.getMessage());
    }
    if (fmt == AuditFormat.JSON) {
      throw new ParameterException(spec.commandLine(), "--format must be ndjson or csv");
    }
    Instant fromTime = time("--from", from);
    Instant toTime = time("--to", to);
    if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
      throw new ParameterException(spec.commandLine(), "--to must be later than --from");
    }
    AuditFilter filter = new AuditFilter(establishment, fromTime, toTime, prisoner, contact, action);
    try (AuditTarget.Opened chain = target.open()) {
      RedisAuditLog log = new RedisAuditLog(chain.redis(), chain.namespace(), java.time.Clock.systemUTC());
      long own = AuditCommand.await(log.append(AuditEvent.of("audit.export")
          .actor("cli:" + System.getProperty("user.name", "unknown"), "OPERATOR")
          .establishment(establishment)
          .detail("filter", filter.toJson())
          .detail("format", format)
          .build())).seq();
      AuditReader reader = log.reader();
      AuditReader.SeqRange range = AuditCommand.await(reader.range(filter, own - 1));
      PrintWriter out = spec.commandLine().getOut();
      out.print(fmt.header());
      long after = 0;
      while (true) {
        AuditReader.Page page = AuditCommand.await(reader.page(filter, range, after, PAGE));
        page.entries().forEach(e -> out.print(fmt.line(e)));
        if (page.nextCursor() == null) {
          break;
        }
        after = Long.parseLong(page.nextCursor());
      }
      out.flush();
      return 0;
    }
  }

  private Instant time(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return AuditFilter.parseTime(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + " " + e.getMessage());
    }
  }
}
