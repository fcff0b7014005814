package org.kinlink.gateway.jitsi;

import io.vertx.core.Future;
import java.util.List;
import org.kinlink.media.ParticipantRole;

/**
 * What the calls capability does when prosody's presence changes a Jitsi room (the embedded backend's
 * signalling does the same for its calls): OPEN -> LIVE once the prison side and someone else are in
 * (a RECORD call starts Jibri then; no recorder -> the call ends), LIVE -> ENDED (completed) once the
 * room is empty.
 */
public interface CallProgress {
  /** @param inRoom the role of each person prosody says is in the call's room now */
  Future<Void> roomChanged(String callId, List<ParticipantRole> inRoom);
}
