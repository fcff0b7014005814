package org.kinlink.gateway.crypto;

import java.security.SecureRandom;

/** A first password handed to a person on paper or in person, to sign in once with and then change. */
public final class OneTimePassword {
  /** No 0/O, 1/l/I: read off a screen and typed by hand. */
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private OneTimePassword() {}

  /** 20 characters of 32 kinds (100 bits), in groups of five. */
  public static String generate() {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      if (i > 0 && i % 5 == 0) {
        p.append('-');
      }
      p.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return p.toString();
  }
}
