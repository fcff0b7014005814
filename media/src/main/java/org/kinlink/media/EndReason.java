package org.kinlink.media;

/** Why a call ended; the lifecycle stores it and participants see its safe words. */
public enum EndReason {
  COMPLETED("The call has finished."),
  TIME_UP("Time is up. The call has finished."),
  ENDED_BY_STAFF("The call was ended by staff."),
  ENDED_BY_POLICY("This call cannot continue."),
  SUPERVISOR_ABSENT("The call ended because the supervising adult left."),
  RECORDING_FAILED("The call ended because of a technical problem."),
  NO_SHOW("The call ended because nobody joined.");

  private final String safeText;

  EndReason(String safeText) {
    this.safeText = safeText;
  }

  /** Words safe to show a prisoner, a child or a carer: never a safeguarding reason. */
  public String safeText() {
    return safeText;
  }
}
