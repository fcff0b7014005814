package org.kinlink.media;

/** What a participant is in a call, for the media rules a backend enforces. */
public enum ParticipantRole {
  /** A prisoner, on her establishment's kiosk (the side that records). */
  PRISONER,
  /** An adult outside who is not supervising. */
  ADULT,
  /** An adult whose presence a SUPERVISED call needs. */
  SUPERVISOR,
  /** A child, joined by a one-time link. */
  CHILD,
  /** Security, watching: receive-only and hidden from everyone else. */
  MONITOR;

  /** True for the roles whose media a SUPERVISED call holds back until a supervisor is in. */
  public boolean needsSupervision() {
    return this == CHILD;
  }
}
