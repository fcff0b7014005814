package org.kinlink.gateway.calls;

import java.util.EnumSet;
import java.util.Set;

/** A call's lifecycle: REQUESTED -> PENDING_APPROVAL -> SCHEDULED -> OPEN -> LIVE -> ENDED, or REJECTED / CANCELLED. */
public enum CallState {
  REQUESTED, PENDING_APPROVAL, SCHEDULED, OPEN, LIVE, ENDED, REJECTED, CANCELLED;

  /** Booked and not yet open. */
  public static final Set<CallState> BOOKED = EnumSet.of(REQUESTED, PENDING_APPROVAL, SCHEDULED);
  /** Participants may be in it. */
  public static final Set<CallState> RUNNING = EnumSet.of(OPEN, LIVE);
  /** May still be cancelled. */
  public static final Set<CallState> CANCELLABLE = EnumSet.of(REQUESTED, PENDING_APPROVAL, SCHEDULED, OPEN);

  public boolean isFinal() {
    return this == ENDED || this == REJECTED || this == CANCELLED;
  }
}
