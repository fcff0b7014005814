package org.kinlink.gateway.crypto;

/**
 * A sealed or wrapped value could not be opened: it was altered, sealed under another key or
 * associated data, or is not in a form this code writes. Unchecked so it can fail a Future as it is.
 */
public final class AeadException extends RuntimeException {
  public AeadException(String message) {
    super(message);
  }

  public AeadException(String message, Throwable cause) {
    super(message, cause);
  }
}
