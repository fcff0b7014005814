package org.kinlink.gateway.auth;

import java.util.Locale;
import java.util.Set;

/**
 * What a password someone chooses for themselves must be: at least {@value #MIN_LENGTH} characters
 * (the same minimum the API asks of a first password, {@code Password} in {@code people.yaml}) and
 * not one of the passwords every guessing list starts with. Length matters far more than character
 * classes, so there is no rule about digits or symbols; a few random words pass.
 */
final class PasswordRule {
  static final int MIN_LENGTH = 12;

  /** Passwords of 12 or more characters found near the top of every breach list, lower case. */
  private static final Set<String> COMMON = Set.of(
      "123456789012", "1234567890123", "12345678901234", "123456123456", "111111111111", "000000000000",
      "password1234", "password12345", "password123!", "passwordpassword", "password1234!", "p@ssword1234",
      "qwertyuiopas", "qwerty123456", "qwertyqwerty", "1q2w3e4r5t6y", "1qaz2wsx3edc", "abcdefghijkl",
      "abc123abc123", "iloveyou1234", "letmein12345", "welcome12345", "welcome123456", "changeme1234",
      "administrator", "admin1234567", "adminadmin12", "trustno1trustno1", "football1234", "monkey123456",
      "sunshine1234", "princess1234", "starwars1234", "kinlink12345", "kinlinkkinlink", "prison123456");

  private PasswordRule() {}

  /** The rule in words, for the hint beside the field and the error. */
  static final String RULE = "at least " + MIN_LENGTH + " characters, and not a common password";

  /** Why {@code password} may not be used, in words for the person choosing it; null when it may. */
  static String problem(String password, String email) {
    if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
      return "Your new password must be at least " + MIN_LENGTH + " characters long. A few random words make a "
          + "long password that is easy to remember.";
    }
    String plain = password.strip().toLowerCase(Locale.ROOT);
    String local = email == null ? null : email.substring(0, Math.max(0, email.indexOf('@'))).toLowerCase(Locale.ROOT);
    if (COMMON.contains(plain) || plain.chars().distinct().count() <= 2 || plain.equals(email) || (local != null
        && local.length() >= 4 && plain.contains(local))) {
      return "That password is too easy to guess: choose one that is not a common password and does not contain "
          + "your email address (" + RULE + ").";
    }
    return null;
  }
}
