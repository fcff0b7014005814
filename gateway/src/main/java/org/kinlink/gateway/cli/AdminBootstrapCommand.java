package org.kinlink.gateway.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.Parked;
import org.kinlink.gateway.people.StaffAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinlink admin bootstrap}: on a new deployment, the first establishment and its first
 * admin (or the first admin of an establishment added without one). Prints the admin's one-time
 * password and TOTP enrolment. Run again with the same values it changes nothing and says so. The
 * TOTP secret is stored sealed with the master key from the start (no master key: exit 2, nothing
 * written), and the account commits together with its pending audit entry.
 */
@Command(name = "bootstrap", description = "Create an establishment (if missing) and its first admin; prints the one-time password and TOTP enrolment.")
public final class AdminBootstrapCommand implements Callable<Integer> {
  @Mixin
  AdminTarget target;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  EstablishmentOptions establishment;

  @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "the admin's email (their sign-in name)")
  String email;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "Administrator", description = "the admin's name (default: Administrator)")
  String name;

  @Override
  public Integer call() {
    var cli = spec.commandLine();
    String estId = establishment.id();
    String estName = establishment.name();
    String mail = Directory.normalizeEmail(AdminInput.email(cli, "--email", email));
    String adminName = AdminInput.name(cli, "--name", name);
    PrintWriter out = cli.getOut();
    try (AdminTarget.Session s = target.openSealingSecrets(true)) {
      Directory d = s.directory();
      Optional<Establishment> est = AuditCommand.await(d.establishment(estId));
      if (est.isPresent() && !est.get().name().equals(estName)) {
        return refuse(cli, "establishment " + estId + " exists as '" + est.get().name() + "', not '" + estName
            + "'; nothing changed");
      }
      Optional<Directory.Account> account = AuditCommand.await(d.accountByEmail(mail));
      if (account.isPresent()) {
        StaffAccount staff = account.get().staff();
        if (est.isPresent() && staff != null && staff.role() == Role.ADMIN && staff.establishment().equals(estId)) {
          s.audit(s.event("admin.bootstrap").establishment(estId).outcome("UNCHANGED")
              .detail("establishment", estId).detail("staff", staff.id()));
          out.println("already bootstrapped: establishment " + estId + " (" + estName + ") and its admin " + mail
              + " exist; nothing changed.");
          out.println("For a new password and TOTP enrolment: kinlink admin staff reset --email " + mail);
          out.flush();
          return 0;
        }
        return refuse(cli, mail + " already signs in to another account; nothing changed");
      }
      if (est.isPresent() && !AuditCommand.await(d.staffList(estId, null, 1)).items().isEmpty()) {
        return refuse(cli, "establishment " + estId + " already has staff; its admins add more in the staff console"
            + " (kinlink admin staff reset recovers an admin's sign-in); nothing changed");
      }
      if (est.isEmpty()) {
        Establishment created = new Establishment(estId, estName);
        AuditCommand.await(d.putEstablishment(created));
        s.audit(s.event("establishment.add").establishment(estId).detail("after", created.toJson()));
      }
      SignInSecrets secrets = SignInSecrets.generate();
      StaffAccount admin = new StaffAccount(AdminStaffCommand.newStaffId(), mail, adminName, Role.ADMIN, estId,
          secrets.passwordHash(), secrets.totpSecret(), false, s.clock().instant(), true);
      Parked parked = Parked.of(s.event("admin.bootstrap").establishment(estId).detail("establishment", estId)
          .detail("staff", admin.id()).detail("after", admin.toApi()).build(), s.clock().millis());
      if (!AuditCommand.await(d.createStaffAudited(admin, parked))) {
        return refuse(cli, mail + " already signs in to another account; nothing changed");
      }
      s.audited(parked);
      out.println("bootstrapped: establishment " + estId + " (" + estName + ") and its admin " + adminName + " <" + mail + ">");
      secrets.print(out, mail);
      return 0;
    }
  }

  /** Well-formed input that the deployment's state refuses: failure (exit 1), saying why. */
  static int refuse(picocli.CommandLine cli, String message) {
    cli.getErr().println("kinlink: " + message);
    cli.getErr().flush();
    return 1;
  }
}
