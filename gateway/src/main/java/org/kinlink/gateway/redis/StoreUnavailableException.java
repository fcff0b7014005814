package org.kinlink.gateway.redis;

/** Redis did not answer (down, timed out, disconnected): the caller answers 503 and wrote nothing it acknowledged. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
