package org.kinlink.media.embedded;

import java.time.Instant;
import java.util.Objects;
import org.kinlink.media.ConferenceSpec;
import org.kinlink.media.Participant;

/**
 * One change to the embedded backend's state. Every node keeps the same state by applying the same
 * changes in the same order: a change made on one node is applied there at once and carried to the
 * others by the {@link EmbeddedMediaBackend.Replicator} the gateway supplies.
 *
 * @param spec for CREATE
 * @param participant for ADMIT (and MONITOR)
 * @param participantId for REMOVE, PRESENT, ABSENT
 */
public record EmbeddedChange(Kind kind, String callId, ConferenceSpec spec, Participant participant, String participantId,
    Instant at) {
  public enum Kind { CREATE, ADMIT, REMOVE, PRESENT, ABSENT, RECORDING_START, RECORDING_STOP, CHUNK, END }

  public EmbeddedChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(at, "at");
  }

  static EmbeddedChange of(Kind kind, String callId, Instant at) {
    return new EmbeddedChange(kind, callId, null, null, null, at);
  }

  static EmbeddedChange about(Kind kind, String callId, String participantId, Instant at) {
    return new EmbeddedChange(kind, callId, null, null, participantId, at);
  }
}
