package org.kinlink.gateway.calls;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kinlink.gateway.realtime.Client;

/** This node's sockets taking part in calls' signalling: call id -> participant id -> socket (one per participant). */
final class CallSockets {
  private final Map<String, Map<String, Client>> byCall = new ConcurrentHashMap<>();

  /** Registers a participant's socket; answers the socket it replaced (another tab), if any. */
  Optional<Client> put(String callId, String participantId, Client client) {
    return Optional.ofNullable(byCall.computeIfAbsent(callId, k -> new ConcurrentHashMap<>()).put(participantId, client))
        .filter(old -> old != client);
  }

  /** Forgets a participant's socket if it is still {@code client}; answers whether it was. */
  boolean remove(String callId, String participantId, Client client) {
    Map<String, Client> m = byCall.get(callId);
    boolean removed = m != null && m.remove(participantId, client);
    if (m != null && m.isEmpty()) {
      byCall.remove(callId, m);
    }
    return removed;
  }

  Map<String, Client> of(String callId) {
    return Map.copyOf(byCall.getOrDefault(callId, Map.of()));
  }

  Optional<Client> get(String callId, String participantId) {
    return Optional.ofNullable(byCall.getOrDefault(callId, Map.of()).get(participantId));
  }

  /** The participant this socket is in the call as. */
  Optional<String> participantOf(String callId, Client client) {
    return byCall.getOrDefault(callId, Map.of()).entrySet().stream().filter(e -> e.getValue() == client)
        .map(Map.Entry::getKey).findFirst();
  }

  void drop(String callId) {
    byCall.remove(callId);
  }

  int calls() {
    return byCall.size();
  }
}
