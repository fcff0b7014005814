package org.kinlink.gateway.contacts;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.kinlink.gateway.http.ApiException;

/**
 * The one cursor format of contact lists: opaque to clients (base64url), a version tag and the
 * position after which the next page starts. Contacts are positioned by (creation time, id),
 * versions by version number.
 */
final class Cursors {
  private static final String TAG = "c1";

  private Cursors() {}

  static String encode(String... parts) {
    String text = TAG + "|" + String.join("|", parts);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The parts of a cursor this API gave out, {@code count} of them; 400 INVALID_CURSOR otherwise. */
  static List<String> decode(String cursor, int count) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      List<String> parts = List.of(text.split("\\|", -1));
      if (parts.size() == count + 1 && parts.get(0).equals(TAG)) {
        return parts.subList(1, parts.size());
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw invalid();
  }

  /** A cursor this API did not give out (or one that no longer parses). */
  static ApiException invalid() {
    return ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this API gave out; start again without it.",
        "cursor");
  }

  /** The number a one-part cursor holds (a version). */
  static int number(String cursor) {
    try {
      return Integer.parseInt(decode(cursor, 1).get(0));
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }
}
