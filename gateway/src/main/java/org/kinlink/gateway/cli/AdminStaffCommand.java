package org.kinlink.gateway.cli;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kinlink.gateway.auth.SignInGuard;
import org.kinlink.gateway.auth.SignInLimits;
import org.kinlink.gateway.auth.Sessions;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Parked;
import org.kinlink.gateway.people.StaffAccount;
import org.kinlink.gateway.redis.Keys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kinlink admin staff reset}: a staff member who lost their password or authenticator signs in again. */
@Command(name = "staff", description = "Staff sign-ins.", subcommands = AdminStaffCommand.Reset.class)
public final class AdminStaffCommand implements Runnable {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say which: admin staff reset");
  }

  static String newStaffId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "st-" + HexFormat.of().formatHex(b);
  }

  /**
   * A new one-time password and TOTP enrolment; every session of the account ends and a sign-in
   * lock on it is lifted. Repeating it leaves the account in the same state (reset, signed out),
   * with only the last printed password and enrolment valid.
   */
  @Command(name = "reset", description = "New one-time password and TOTP enrolment for a staff member; ends their sessions.")
  public static final class Reset implements Callable<Integer> {
    @Mixin
    AdminTarget target;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "the staff member's sign-in email")
    String email;

    @Override
    public Integer call() {
      CommandLine cli = spec.commandLine();
      String mail = Directory.normalizeEmail(AdminInput.email(cli, "--email", email));
      try (AdminTarget.Session s = target.openSealingSecrets(false)) {
        Optional<Directory.Account> account = AuditCommand.await(s.directory().accountByEmail(mail));
        StaffAccount staff = account.map(Directory.Account::staff).orElse(null);
        if (staff == null) {
          return AdminBootstrapCommand.refuse(cli, "no staff account signs in as " + mail + "; nothing changed");
        }
        SignInSecrets secrets = SignInSecrets.generate();
        Instant lockWas = AuditCommand.await(new SignInGuard(s.redis(), s.clock(), SignInLimits.defaults()).lift("login:" + mail));
        var found = AuditCommand.await(s.directory().updateStaff(staff.id(), before -> new StaffAccount(before.id(),
            before.email(), before.name(), before.role(), before.establishment(), secrets.passwordHash(),
            secrets.totpSecret(), before.disabled(), before.createdAt(), true),
            (before, after) -> Parked.of(s.event("staff.reset").establishment(after.establishment()).detail("staff", after.id())
                .detail("before", before.toApi()).detail("after", after.toApi())
                .detail("password_changed", true).detail("totp_changed", true).detail("sessions_ended", true)
                .detail("lock_lifted", lockWas != null).build(), s.clock().millis())));
        if (found.isEmpty()) {
          return AdminBootstrapCommand.refuse(cli, "no staff account signs in as " + mail + "; nothing changed");
        }
        s.audited(found.get().parked());
        // a new enrolment: the code step the old secret last used must not block the new secret's first code
        AuditCommand.await(s.redis().call(c -> c.del(Keys.totpLastStep(staff.id()))));
        int ended = endSessions(s, staff.id());
        cli.getOut().println("reset the sign-in of " + staff.name() + " <" + mail + "> (" + staff.role() + ", " + staff.establishment()
            + "): " + ended + " session(s) ended" + (lockWas != null ? ", sign-in lock lifted" : "")
            + (staff.disabled() ? "; the account is still disabled (an admin enables it in the staff console)" : ""));
        secrets.print(cli.getOut(), mail);
        return 0;
      }
    }

    /** Revokes every session of the account and tells every node, as disabling it in the API does. */
    private static int endSessions(AdminTarget.Session s, String accountId) {
      Sessions sessions = new Sessions(s.redis(), s.clock(), AdminTarget.REVOCATION_MEMORY, AdminTarget.REVOCATION_MEMORY);
      List<String> sids = AuditCommand.await(sessions.sessionsOf(accountId));
      int ended = 0;
      for (String sid : sids) {
        String was = AuditCommand.await(sessions.revoke(sid, "ACCOUNT_RESET"));
        AuditCommand.await(s.redis().publish(Keys.REVOCATIONS_CHANNEL, sid));
        if ("ACTIVE".equals(was)) {
          ended++;
        }
      }
      return ended;
    }
  }
}
