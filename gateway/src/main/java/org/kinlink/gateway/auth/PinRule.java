package org.kinlink.gateway.auth;

/**
 * What a kiosk PIN a prisoner chooses for herself must be: 4 to 8 digits, and not one of the PINs
 * anyone would try first (one digit repeated, a straight run, her prison number's digits, which are
 * printed on her cell card and known to every officer). The messages are read on the kiosk by
 * women who may read little: short sentences, an example, no jargon.
 */
final class PinRule {
  static final int MIN_LENGTH = 4;
  static final int MAX_LENGTH = 8;

  /** Why a PIN may not be used: a stable code for the page, and the words for her. */
  record Problem(String code, String message) {}

  private PinRule() {}

  /** Why {@code pin} may not be her new PIN; null when it may. */
  static Problem problem(String pin, String prisonNumber) {
    if (pin == null || pin.length() < MIN_LENGTH || pin.length() > MAX_LENGTH || !pin.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new Problem("INVALID_PIN", "Your new PIN must be " + MIN_LENGTH + " to " + MAX_LENGTH + " numbers.");
    }
    if (pin.chars().distinct().count() == 1) {
      return new Problem("PIN_REPEATED", "Your new PIN is too easy to guess. Do not use the same number again and again, like 1111.");
    }
    if (straightRun(pin)) {
      return new Problem("PIN_SEQUENCE", "Your new PIN is too easy to guess. Do not use numbers in a row, like 1234 or 9876.");
    }
    String digits = prisonNumber == null ? "" : prisonNumber.replaceAll("[^0-9]", "");
    if (!digits.isEmpty() && (digits.contains(pin) || pin.contains(digits))) {
      return new Problem("PIN_PRISON_NUMBER", "Your new PIN is too easy to guess. Do not use the numbers from your prison number.");
    }
    return null;
  }

  /** Each digit one more (or each one less) than the one before, going round from 9 to 0 (8901 is as easy as 1234). */
  private static boolean straightRun(String pin) {
    int step = Math.floorMod(pin.charAt(1) - pin.charAt(0), 10);
    if (step != 1 && step != 9) {
      return false;
    }
    for (int i = 2; i < pin.length(); i++) {
      if (Math.floorMod(pin.charAt(i) - pin.charAt(i - 1), 10) != step) {
        return false;
      }
    }
    return true;
  }
}
