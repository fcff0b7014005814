package org.kinlink.gateway.redis;

import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;

/** Redis commands Lettuce has no type for, to {@code dispatch} by name. */
public enum UnlistedCommand implements ProtocolKeyword {
  /** Redis 7.2+: waits until what this connection wrote is fsynced (the audit chain's durability on an external Redis). */
  WAITAOF,
  /** {@code LATENCY RESET|HISTORY <event>}: Redis's own latency monitor (the bench's slow fsyncs). */
  LATENCY;

  @Override
  public byte[] getBytes() {
    return name().getBytes(StandardCharsets.US_ASCII);
  }
}
