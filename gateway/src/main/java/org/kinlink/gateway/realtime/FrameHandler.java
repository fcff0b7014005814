package org.kinlink.gateway.realtime;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Handles one client frame type on the one socket a client has. Capabilities register theirs with
 * {@link Realtime#register} (messaging: {@code message.send}, {@code message.read}; calls add
 * {@code call.signal} the same way). The frame has already passed its schema.
 */
@FunctionalInterface
public interface FrameHandler {
  /** Answers the frame to send back (its {@code ref} is copied from the request), or null for none. */
  Future<JsonObject> handle(Client client, JsonObject frame);
}
