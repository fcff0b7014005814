package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.kinlink.gateway.realtime.Client;
import org.kinlink.gateway.realtime.Realtime;
import org.kinlink.media.EndReason;

/**
 * {@code call.state} frames: every change of a call goes to every node, which sends it to the
 * sockets it holds of the call's participants (signed in, or in the call by a ticket). A final state
 * also forgets the call's sockets on that node.
 */
final class CallPushes {
  static final String TOPIC = "calls.state";

  private final Realtime realtime;
  private final CallSockets sockets;

  CallPushes(Realtime realtime, CallSockets sockets) {
    this.realtime = realtime;
    this.sockets = sockets;
    realtime.onEvent(TOPIC, this::deliver);
  }

  Future<Void> state(JsonObject call) {
    JsonObject frame = new JsonObject().put("type", "call.state").put("call_id", call.getString("id"))
        .put("state", call.getString("state")).put("start", call.getString("start")).put("ends_at", call.getString("end_by"));
    if (call.containsKey("why")) {
      EndReason why = EndReason.valueOf(call.getString("why"));
      frame.put("why", why.name()).put("why_text", why.safeText());
    }
    return realtime.publish(TOPIC, new JsonObject().put("participants", new JsonArray(CallsService.partyIdsOf(call)))
        .put("frame", frame));
  }

  private void deliver(JsonObject event) {
    JsonObject frame = event.getJsonObject("frame");
    String callId = frame.getString("call_id");
    Set<Client> to = Collections.newSetFromMap(new IdentityHashMap<>());
    event.getJsonArray("participants", new JsonArray()).forEach(id -> to.addAll(realtime.clientsOf(String.valueOf(id))));
    to.addAll(sockets.of(callId).values());
    to.forEach(c -> c.send(frame));
    if (CallState.valueOf(frame.getString("state")).isFinal()) {
      sockets.drop(callId);
    }
  }
}
