package org.kinlink.gateway.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.auth.SignInGuard;
import org.kinlink.gateway.auth.SignInLimits;
import org.kinlink.gateway.crypto.DeviceKey;
import org.kinlink.gateway.devices.DeviceEnrolment;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.KioskDevice;
import org.kinlink.gateway.redis.Redis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kinlink admin device enrol|withdraw}: kiosk devices from the operator's shell, with the
 * gateway running or not. {@code enrol} prints the one-time enrolment code that the kiosk's set-up
 * page takes; running it again for a device still waiting for its key gives a fresh code (the
 * earlier one stops working). Every change is audited as {@code cli:<os user>}; bad input exits 2
 * naming the option, a device of another establishment exits 1.
 */
@Command(name = "device", description = "Kiosk devices: enrol one (prints its one-time enrolment code) or withdraw one.",
    subcommands = {AdminDeviceCommand.Enrol.class, AdminDeviceCommand.Withdraw.class})
public final class AdminDeviceCommand implements Runnable {
  private static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say which: admin device enrol, admin device withdraw");
  }

  /** What both subcommands work with, on an open deployment. */
  private record Deployment(Directory directory, DeviceEnrolment devices, Function<String, AuditEvent.Builder> operator) {
    static Deployment of(AdminTarget.Session s) {
      Redis redis = s.redis();
      DeviceEnrolment devices = new DeviceEnrolment(redis, s.clock(), s.directory(), s.auditLog(), s.outbox(),
          new SignInGuard(redis, s.clock(), SignInLimits.defaults()));
      return new Deployment(s.directory(), devices, s::event);
    }
  }

  private static String checkedId(CommandLine cli, String id) {
    if (!DEVICE_ID.matcher(id).matches()) {
      throw new ParameterException(cli, "--device-id: '" + id + "' is not accepted; 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  private static void say(CommandLine cli, String line) {
    cli.getOut().println(line);
    cli.getOut().flush();
  }

  /** The options both subcommands take: where the deployment is, and which device. */
  abstract static class DeviceTask implements Callable<Integer> {
    @Mixin
    AdminTarget target;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--device-id", required = true, description = "the kiosk's id, e.g. kiosk-styal-07")
    String deviceId;
  }

  /** Registers a device (or re-issues the code of one waiting for its key) and prints its one-time code. */
  @Command(name = "enrol", description = "Register a kiosk and print its one-time enrolment code (valid 1 hour, single use).")
  public static final class Enrol extends DeviceTask {
    @Option(names = "--establishment", required = true, description = "the establishment the kiosk is in")
    String establishment;

    @Option(names = "--label", description = "where it is, e.g. \"Wing B, cell 7\" (default: kept, or the device id)")
    String label;

    @Override
    public Integer call() {
      CommandLine cli = spec.commandLine();
      String id = checkedId(cli, deviceId);
      if (label != null && (label.isBlank() || label.trim().length() > 120)) {
        throw new ParameterException(cli, "--label: 1 to 120 characters");
      }
      try (AdminTarget.Session session = target.open()) {
        Deployment d = Deployment.of(session);
        Optional<Establishment> est = AuditCommand.await(d.directory().establishment(establishment));
        if (est.isEmpty()) {
          throw new ParameterException(cli, "--establishment: there is no establishment '" + establishment
              + "'; add it first with kinlink admin establishment add");
        }
        Optional<KioskDevice> existing = AuditCommand.await(d.directory().device(id));
        if (existing.isPresent() && !existing.get().establishment().equals(establishment)) {
          return AdminBootstrapCommand.refuse(cli, "device " + id + " is a device of establishment '"
              + existing.get().establishment() + "', not '" + establishment + "'; nothing changed");
        }
        DeviceEnrolment.IssuedCode code;
        if (existing.isEmpty()) {
          String location = label == null ? id : label.trim();
          code = AuditCommand.await(d.devices().create(d.operator(), new KioskDevice(id, establishment, location, true)));
        } else if (existing.get().status() == KioskDevice.Status.ENROLLED) {
          say(cli, id + " is already enrolled (key " + DeviceKey.keyIdOf(existing.get().publicKey()) + "); nothing changed."
              + " To give it a new key, withdraw it and enrol it again.");
          return 0;
        } else {
          KioskDevice before = existing.get();
          String location = label == null ? before.location() : label.trim();
          if (!before.enrolled() || !location.equals(before.location())) {
            AuditCommand.await(d.devices().awaitKey(d.operator(), id, location));
          }
          code = AuditCommand.await(d.devices().issueCode(d.operator(), before));
        }
        say(cli, "enrolment code: " + code.code());
        say(cli, "Valid until " + code.expiresAt() + ", once. On the kiosk open /kiosk/setup.html and enter device id "
            + id + " and this code.");
        return 0;
      }
    }
  }

  /** Withdraws a device: it can no longer be used, its key and any outstanding code are forgotten. */
  @Command(name = "withdraw", description = "Withdraw a kiosk: no sign-in on it until it is enrolled again.")
  public static final class Withdraw extends DeviceTask {

    @Override
    public Integer call() {
      CommandLine cli = spec.commandLine();
      String id = checkedId(cli, deviceId);
      try (AdminTarget.Session session = target.open()) {
        Deployment d = Deployment.of(session);
        Optional<KioskDevice> existing = AuditCommand.await(d.directory().device(id));
        if (existing.isEmpty()) {
          throw new ParameterException(cli, "--device-id: there is no device '" + id + "'");
        }
        if (existing.get().status() == KioskDevice.Status.WITHDRAWN) {
          AuditCommand.await(d.devices().forgetCode(id));
          say(cli, id + " is already withdrawn; nothing changed.");
          return 0;
        }
        AuditCommand.await(d.devices().withdraw(d.operator(), id));
        say(cli, "withdrew " + id + " (" + existing.get().establishment() + "): prisoners can no longer sign in on it."
            + " Enrol it again with kinlink admin device enrol.");
        return 0;
      }
    }
  }
}
