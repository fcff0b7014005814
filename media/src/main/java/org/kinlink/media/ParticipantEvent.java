package org.kinlink.media;

import java.time.Instant;

/**
 * Something that happened in a conference.
 *
 * @param participantId who it is about (null for events about the whole conference)
 */
public record ParticipantEvent(Kind kind, String callId, String participantId, ParticipantRole role, Instant at) {
  public enum Kind {
    JOINED,
    LEFT,
    /** A SUPERVISED call lost its last supervisor: media between the prisoner side and the child stops. */
    MEDIA_HELD,
    /** A supervisor is back: that media may flow again. */
    MEDIA_RESUMED,
    /** The supervisor has been gone longer than allowed: the call must end. */
    SUPERVISOR_GONE_TOO_LONG,
    /** A recorded call's recorder has been silent longer than allowed: the call must end. */
    RECORDER_SILENT,
    /** Every participant has left. */
    EMPTY
  }
}
