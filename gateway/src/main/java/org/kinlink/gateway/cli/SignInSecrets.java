package org.kinlink.gateway.cli;

import java.io.PrintWriter;
import org.kinlink.gateway.crypto.OneTimePassword;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.crypto.Totp;

/**
 * A new staff sign-in made on the command line: a one-time password (to be changed by its owner)
 * and a TOTP secret, shown once and never stored in the clear.
 */
record SignInSecrets(String password, String passwordHash, String totpSecret) {
  /** A one-time password (100 bits) and a new TOTP secret. */
  static SignInSecrets generate() {
    String password = OneTimePassword.generate();
    return new SignInSecrets(password, new SecretHasher().hashNow(password), Totp.newSecret());
  }

  /** Prints the password, the TOTP enrolment URI and its QR code, as DEMO.md's contract says. */
  void print(PrintWriter out, String email) {
    String uri = Totp.uri("Kinlink", email, totpSecret);
    out.println("email: " + email);
    out.println("password: " + password);
    out.println("totp: " + uri);
    out.println();
    out.print(TerminalQr.render(uri));
    out.println();
    out.println("Scan the code (or enter the otpauth:// URI) in an authenticator app, then sign in with the email,");
    out.println("the password and a code; the first sign-in asks for a new password, which only its owner knows.");
    out.println("The password and TOTP secret are shown only now; `kinlink admin staff reset` makes new ones.");
    out.flush();
  }
}
