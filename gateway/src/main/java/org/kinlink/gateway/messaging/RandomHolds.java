package org.kinlink.gateway.messaging;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A share of ordinary messages held for review as well, so that a held message tells its sender
 * nothing about which words matter ({@code messaging-random-review-share}: 0.02 in serve, 0 in demo).
 */
public final class RandomHolds {
  static final String RULE = "RANDOM_CHECK";
  static final String STAFF_TEXT = "Chosen at random for checking: a share of ordinary messages is held so that holding reveals nothing.";

  private volatile double share;

  public RandomHolds(double share) {
    setShare(share);
  }

  /** Changes the share at run time (tests; an operator's change takes a restart). */
  public void setShare(double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("messaging-random-review-share must be between 0 and 1");
    }
    this.share = value;
  }

  public double share() {
    return share;
  }

  boolean hold() {
    double s = share;
    return s > 0 && ThreadLocalRandom.current().nextDouble() < s;
  }
}
