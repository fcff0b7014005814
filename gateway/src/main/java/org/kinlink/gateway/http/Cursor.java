package org.kinlink.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The API's one cursor format: an opaque token (base64url) over a position only the issuing list
 * understands. Clients pass it back unchanged; anything else is a 400 naming {@code cursor}.
 */
public final class Cursor {
  private static final String VERSION = "c1:";

  private Cursor() {}

  /** The cursor of a position; null stays null (the last page). */
  public static String encode(String position) {
    return position == null ? null
        : Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The position of a cursor this API gave out; null stays null (the first page). */
  public static String decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (s.startsWith(VERSION)) {
        return s.substring(VERSION.length());
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this API gave out; pass next_cursor back unchanged.", "cursor");
  }
}
