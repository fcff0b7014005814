package org.kinlink.media.jitsi;

/**
 * A child (or another participant who needs supervision) asked to join a SUPERVISED call before
 * prosody said a supervisor is in the room: no token is minted (fail closed). The caller answers 409
 * and the person joins again once the supervising adult is in.
 */
public final class SupervisorNotPresent extends IllegalStateException {
  public SupervisorNotPresent() {
    super("the supervising adult has not joined yet");
  }
}
