package org.kinlink.gateway.cli;

import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Checks of what an operator typed: a wrong value is bad usage (exit 2) with a message naming the option. */
final class AdminInput {
  /** As the API accepts ids ({@code openapi/people.yaml}). */
  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private AdminInput() {}

  static String id(CommandLine cli, String option, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new ParameterException(cli, option + ": '" + value + "' is not an id (1 to 64 letters, digits, '.', '_' or '-')");
    }
    return value;
  }

  static String name(CommandLine cli, String option, String value) {
    String trimmed = value == null ? "" : value.trim();
    if (trimmed.isEmpty() || trimmed.length() > 100 || trimmed.chars().anyMatch(Character::isISOControl)) {
      throw new ParameterException(cli, option + ": give a name of 1 to 100 printable characters");
    }
    return trimmed;
  }

  static String email(CommandLine cli, String option, String value) {
    String trimmed = value == null ? "" : value.trim();
    if (trimmed.length() < 3 || trimmed.length() > 254 || !EMAIL.matcher(trimmed).matches()) {
      throw new ParameterException(cli, option + ": '" + value + "' is not an email address (name@example.org)");
    }
    return trimmed;
  }
}
