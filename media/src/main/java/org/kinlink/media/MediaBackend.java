package org.kinlink.media;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.kinlink.policy.model.ObligationType;

/**
 * One way of carrying a call's media (the embedded WebRTC signalling relay, or Jitsi). The call
 * lifecycle, the policy checks and the audit entries live above this interface and never ask which
 * backend they talk to; a backend only carries out what a decision already allowed.
 *
 * <p>Methods that may reach another server answer a {@link CompletionStage}; a backend that works in
 * memory completes them at once.
 */
public interface MediaBackend {

  /** The name clients see as {@code backend} in a join answer ({@code embedded}, {@code jitsi}). */
  String name();

  /**
   * The obligation types this backend can enforce right now for calls of {@code establishment}.
   * Every call decision passes this set to the policy engine, so a backend whose recorder is down
   * cannot be told PERMIT for a recorded call (fail closed). Never assume "all".
   */
  Set<ObligationType> enforceableNow(String establishment);

  /** Creates (or finds) the conference of a call; idempotent. */
  CompletionStage<Void> create(ConferenceSpec spec);

  /**
   * Admits a participant whom a fresh JOIN_CALL decision allowed. The answer is what the client needs
   * to connect (for the embedded backend its ICE servers; for Jitsi a room URL and token).
   */
  CompletionStage<Admission> admit(String callId, Participant participant);

  /** Takes back an admission (the participant may no longer be in the call); idempotent. */
  CompletionStage<Void> remove(String callId, String participantId);

  /** Admits a security monitor: receive-only, and shown to no other participant. */
  CompletionStage<Admission> addMonitor(String callId, Participant monitor);

  /** Starts the recorder of a RECORD call. */
  CompletionStage<Void> startRecording(String callId);

  /** Stops the recorder (the call ended, or recording is no longer wanted). */
  CompletionStage<Void> stopRecording(String callId);

  /** Ends the conference for everyone in it: their media stops; idempotent (ending a gone conference succeeds). */
  CompletionStage<Void> end(String callId, EndReason why);

  /** Runs {@code listener} for every participant event of every conference of this backend. */
  void onEvent(Consumer<ParticipantEvent> listener);

  /**
   * Looks at every conference at {@code now} and reports what the caller must act on: a supervisor
   * gone longer than allowed, a recorder silent too long. The backend never ends a call by itself:
   * ending is a lifecycle change, which the caller makes and audits.
   */
  java.util.List<ParticipantEvent> check(Instant now);
}
