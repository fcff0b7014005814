package org.kinlink.gateway.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.kinlink.gateway.domain.DomainException;

/** Opaque cursors: a conversation's feed position, or a review queue position. */
final class Cursors {
  private Cursors() {}

  static String encode(long feed) {
    return encode("f:" + feed);
  }

  static String encode(String raw) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static long feed(String cursor, String field) {
    String raw = decode(cursor, field);
    if (!raw.startsWith("f:")) {
      throw bad(field);
    }
    try {
      return Long.parseLong(raw.substring(2));
    } catch (NumberFormatException e) {
      throw bad(field);
    }
  }

  static String decode(String cursor, String field) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad(field);
    }
  }

  static DomainException bad(String field) {
    return DomainException.invalid("INVALID_CURSOR", "That cursor is not one this list gave out.", field);
  }
}
