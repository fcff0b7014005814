package org.kinlink.gateway.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.crypto.Totp;

/**
 * A new staff sign-in made on the command line: a one-time password (to be changed by its owner)
 * and a TOTP secret, shown once and never stored in the clear.
 */
record SignInSecrets(String password, String passwordHash, String totpSecret) {
  /** No 0/O, 1/l/I: read off a screen and typed by hand. */
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** 20 characters of 32 kinds: 100 bits, in groups of five. */
  static SignInSecrets generate() {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      if (i > 0 && i % 5 == 0) {
        p.append('-');
      }
      p.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    String password = p.toString();
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
    out.println("the password and a code. The password and TOTP secret are shown only now; `kinlink admin staff reset`");
    out.println("makes new ones.");
    out.flush();
  }
}
