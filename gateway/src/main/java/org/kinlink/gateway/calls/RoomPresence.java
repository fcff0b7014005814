package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import java.util.List;
import org.kinlink.gateway.jitsi.CallProgress;
import org.kinlink.media.EndReason;
import org.kinlink.media.MediaBackend;
import org.kinlink.media.ParticipantRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's progress from the presence a media server reports (Jitsi: prosody's event_sync_component),
 * where the gateway carries no signalling to see who is in.
 */
final class RoomPresence implements CallProgress {
  private static final Logger log = LoggerFactory.getLogger(RoomPresence.class);
  private final CallStore store;
  private final CallsService service;
  private final MediaBackend media;

  RoomPresence(CallStore store, CallsService service, MediaBackend media) {
    this.store = store;
    this.service = service;
    this.media = media;
  }

  @Override
  public Future<Void> roomChanged(String callId, List<ParticipantRole> inRoom) {
    List<ParticipantRole> people = inRoom.stream().filter(r -> r != ParticipantRole.MONITOR).toList();
    return store.get(callId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      CallState state = CallState.valueOf(found.get().getString("state"));
      if (state == CallState.OPEN && people.contains(ParticipantRole.PRISONER) && people.size() >= 2) {
        return service.live(callId).compose(w -> w.isPresent() && service.spec(w.get()).record()
            ? Future.fromCompletionStage(media.startRecording(callId)).recover(err -> {
              // a recorded call without its recorder does not go on (fail closed); staff see why in the audit
              log.warn("call {}: the recorder did not start: {}", callId, err.getMessage());
              return service.end(callId, EndReason.RECORDING_FAILED, null, null).mapEmpty();
            })
            : Future.succeededFuture());
      }
      if (state == CallState.LIVE && people.isEmpty()) {
        return service.end(callId, EndReason.COMPLETED, null, null).mapEmpty();
      }
      return Future.succeededFuture();
    });
  }
}
