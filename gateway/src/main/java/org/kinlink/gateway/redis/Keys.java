package org.kinlink.gateway.redis;

/**
 * Every Redis key the gateway uses, in one place (the README's operations section mirrors this).
 *
 * <p>All keys start with {@code kl:}. Hash tags ({@code {...}}) keep what one Lua script or one
 * transaction touches in one Redis Cluster slot: one prisoner's data under {@code {p:<id>}}, the
 * audit chain under {@code {audit}}, one account's sign-in state under {@code {acct:<id>}}.
 * Each capability owns one section below.
 */
public final class Keys {
  private Keys() {}

  // --- gateway ---

  /** Pub/sub channel every node listens to for cross-node events. */
  public static final String EVENTS_CHANNEL = "kl:events";
}
