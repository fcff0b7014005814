package org.kinlink.gateway.people;

import java.util.Locale;
import java.util.regex.Pattern;

/** A prison number as HM Prison Service issues them: a letter, four digits, two letters (e.g. A1234BC). */
public final class PrisonNumber {
  /** The accepted form (also in the OpenAPI contract). */
  public static final Pattern FORMAT = Pattern.compile("^[A-Z][0-9]{4}[A-Z]{2}$");

  private PrisonNumber() {}

  /** Upper-cased and trimmed, or null when it is not a prison number. */
  public static String normalize(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim().toUpperCase(Locale.ROOT);
    return FORMAT.matcher(s).matches() ? s : null;
  }

  /** The prisoner id derived from a prison number (stable, so other records can refer to it). */
  public static String prisonerId(String prisonNumber) {
    return "pr-" + prisonNumber;
  }
}
