package org.kinlink.media.jitsi;

/**
 * Jitsi (prosody or Jibri) could not do what a call needs. The message is for staff (it names the
 * part that failed); callers show participants only a safe "try again" text, and answer 503.
 */
public final class JitsiUnavailable extends RuntimeException {
  public JitsiUnavailable(String message) {
    super(message);
  }

  public JitsiUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
