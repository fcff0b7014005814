package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.realtime.Client;
import org.kinlink.gateway.realtime.Realtime;
import org.kinlink.media.ConferenceSpec;
import org.kinlink.media.EndReason;
import org.kinlink.media.Participant;
import org.kinlink.media.ParticipantEvent;
import org.kinlink.media.ParticipantRole;
import org.kinlink.media.embedded.EmbeddedChange;
import org.kinlink.media.embedded.EmbeddedMediaBackend;
import org.kinlink.policy.model.SupervisorRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend's signalling on the realtime hub. Client frames: {@code call.join {ticket}}
 * (this socket takes part in the call the ticket admits it to), {@code call.signal {call_id, to, data}}
 * (an offer, answer or ICE candidate, relayed only when the backend's rules allow it now) and
 * {@code call.leave {call_id}}. Server frames: {@code call.joined}, {@code call.peers} (whom to connect
 * to now; sent again whenever someone arrives or leaves, or supervision holds or resumes media),
 * {@code call.signal {call_id, from, data}} and {@code call.warning}.
 *
 * <p>Nodes share the backend's state by carrying each change over the hub ({@value #MEDIA_TOPIC}), and
 * a signal for a socket on another node over {@value #SIGNAL_TOPIC}.
 */
final class CallSignalling {
  private static final Logger log = LoggerFactory.getLogger(CallSignalling.class);
  static final String MEDIA_TOPIC = "calls.media";
  static final String SIGNAL_TOPIC = "calls.signal";
  private static final int MAX_SIGNAL_CHARS = 24 * 1024;

  private final Realtime realtime;
  private final EmbeddedMediaBackend media;
  private final CallsService service;
  private final CallStore store;
  private final CallSockets sockets;
  private final String node = UUID.randomUUID().toString();

  CallSignalling(Realtime realtime, EmbeddedMediaBackend media, CallsService service, CallStore store, CallSockets sockets) {
    this.realtime = realtime;
    this.media = media;
    this.service = service;
    this.store = store;
    this.sockets = sockets;
    media.replicator(change -> realtime.publish(MEDIA_TOPIC, encode(change).put("node", node))
        .onFailure(e -> log.warn("could not carry a media change to the other nodes", e)));
    realtime.onEvent(MEDIA_TOPIC, j -> {
      if (!node.equals(j.getString("node"))) {
        media.apply(decode(j));
      }
    });
    realtime.onEvent(SIGNAL_TOPIC, j -> sockets.get(j.getString("call_id"), j.getString("to"))
        .ifPresent(c -> c.send(signalFrame(j))));
    media.onEvent(this::onMediaEvent);
    register();
  }

  private void register() {
    JsonObject ref = new JsonObject().put("type", new JsonArray().add("string").add("integer"));
    JsonObject id = new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 100);
    realtime.register("call.join", new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("type").add("ticket"))
        .put("properties", new JsonObject().put("type", new JsonObject().put("const", "call.join")).put("ref", ref)
            .put("ticket", new JsonObject().put("type", "string").put("minLength", 10).put("maxLength", 200)))
        .put("additionalProperties", false), this::join);
    realtime.register("call.signal", new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("type").add("call_id").add("to").add("data"))
        .put("properties", new JsonObject().put("type", new JsonObject().put("const", "call.signal")).put("ref", ref)
            .put("call_id", id).put("to", id).put("data", new JsonObject().put("type", "object")))
        .put("additionalProperties", false), this::signal);
    realtime.register("call.leave", new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("type").add("call_id"))
        .put("properties", new JsonObject().put("type", new JsonObject().put("const", "call.leave")).put("ref", ref)
            .put("call_id", id))
        .put("additionalProperties", false), this::leave);
  }

  private Future<JsonObject> join(Client client, JsonObject frame) {
    String ticket = frame.getString("ticket");
    return service.ticket(ticket).compose(found -> {
      JsonObject t = found.orElse(null);
      String holder = client.principal().accountId();
      if (t == null || !(holder.equals(t.getString("holder")) || holder.equals("ticket:" + Tokens.sha256(ticket)))) {
        return Future.failedFuture(new ApiException(403, "TICKET_INVALID", "This join has expired. Join the call again."));
      }
      String callId = t.getString("call_id");
      return store.get(callId).compose(c -> {
        if (c.isEmpty() || !CallState.RUNNING.contains(CallState.valueOf(c.get().getString("state")))) {
          return Future.failedFuture(new ApiException(409, "CALL_OVER", "This call is over."));
        }
        Participant who = new Participant(t.getString("participant_id"), t.getString("name"),
            ParticipantRole.valueOf(t.getString("role")));
        // the admission may have been made on another node a moment ago: make sure this node has it
        Future<Void> ready = media.isAdmitted(callId, who.id()) ? Future.succeededFuture()
            : Future.fromCompletionStage(media.create(service.spec(c.get())))
                .compose(v -> Future.fromCompletionStage(who.role() == ParticipantRole.MONITOR
                    ? media.addMonitor(callId, who) : media.admit(callId, who))).mapEmpty();
        return ready.compose(v -> {
          sockets.put(callId, who.id(), client).ifPresent(old -> old.send(new JsonObject().put("type", "call.state")
              .put("call_id", callId).put("state", "MOVED").put("why_text", "You joined this call somewhere else.")));
          client.onClose(() -> gone(callId, who.id(), client));
          return Future.fromCompletionStage(media.present(callId, who.id()));
        }).compose(v -> afterPresence(c.get())).map(v -> new JsonObject().put("type", "call.joined").put("call_id", callId)
            .put("participant_id", who.id()).put("role", who.role().name()).put("ends_at", c.get().getString("end_by"))
            .put("held", media.held(callId)).put("peers", peers(callId, who.id()))
            // whom a held call waits for, so the screen can say so by name
            .put("supervisors", new JsonArray(CallsService.supervisorNames(c.get()))));
      });
    });
  }

  private Future<JsonObject> signal(Client client, JsonObject frame) {
    String callId = frame.getString("call_id");
    String to = frame.getString("to");
    String from = sockets.participantOf(callId, client).orElse(null);
    if (from == null) {
      return Future.failedFuture(new ApiException(403, "NOT_IN_CALL", "Join the call before sending to it."));
    }
    if (frame.getJsonObject("data").encode().length() > MAX_SIGNAL_CHARS) {
      return Future.failedFuture(ApiException.badRequest("SIGNAL_TOO_LARGE", "That signal is too large.", "data"));
    }
    if (!media.mayRelay(callId, from, to)) {
      return Future.failedFuture(new ApiException(403, "SIGNAL_REFUSED", "You cannot connect to that participant now."));
    }
    JsonObject event = new JsonObject().put("call_id", callId).put("from", from).put("to", to).put("data", frame.getJsonObject("data"));
    var local = sockets.get(callId, to);
    if (local.isPresent()) {
      local.get().send(signalFrame(event));
      return Future.succeededFuture();
    }
    return realtime.publish(SIGNAL_TOPIC, event).map(v -> (JsonObject) null);
  }

  private Future<JsonObject> leave(Client client, JsonObject frame) {
    String callId = frame.getString("call_id");
    String who = sockets.participantOf(callId, client).orElse(null);
    if (who == null) {
      return Future.succeededFuture(new JsonObject().put("type", "call.left").put("call_id", callId));
    }
    return gone(callId, who, client).map(v -> new JsonObject().put("type", "call.left").put("call_id", callId));
  }

  private Future<Void> gone(String callId, String participantId, Client client) {
    if (!sockets.remove(callId, participantId, client)) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(media.absent(callId, participantId))
        .compose(v -> store.get(callId))
        .compose(c -> c.isPresent() ? afterPresence(c.get()) : Future.succeededFuture())
        .onFailure(e -> log.warn("after {} left {}", participantId, callId, e));
  }

  /**
   * OPEN -> LIVE once media flows between the prison side and the others: for a SUPERVISED call with
   * a child, only when the child is in and a supervisor too (until then the call says whom it waits
   * for); LIVE -> ENDED (completed) when everyone has left.
   */
  private Future<Void> afterPresence(JsonObject found) {
    String callId = found.getString("id");
    boolean supervised = !service.spec(found).supervisors().isEmpty()
        && CallsService.participants(found).stream().anyMatch(x -> x.getBoolean("child", false));
    boolean held = supervised && media.held(callId);
    boolean running = CallState.RUNNING.contains(CallState.valueOf(found.getString("state")));
    Future<JsonObject> noted = running && supervised && held != found.getBoolean("media_held", false)
        ? service.mediaHeld(callId, held).map(w -> w.orElse(found)) : Future.succeededFuture(found);
    return noted.compose(call -> afterPresence(call, supervised, held));
  }

  private Future<Void> afterPresence(JsonObject call, boolean supervised, boolean held) {
    String callId = call.getString("id");
    CallState state = CallState.valueOf(call.getString("state"));
    var present = media.present(callId).stream().filter(p -> p.role() != ParticipantRole.MONITOR).toList();
    boolean prisonSide = present.stream().anyMatch(p -> p.role() == ParticipantRole.PRISONER);
    boolean flows = supervised ? !held && present.stream().anyMatch(p -> p.role().needsSupervision()) : present.size() >= 2;
    if (state == CallState.OPEN && prisonSide && flows) {
      return service.live(callId).compose(w -> w.isPresent() && service.spec(w.get()).record()
          ? Future.fromCompletionStage(media.startRecording(callId)) : Future.succeededFuture());
    }
    if (state == CallState.LIVE && present.isEmpty()) {
      return service.end(callId, EndReason.COMPLETED, null, null).mapEmpty();
    }
    return Future.succeededFuture();
  }

  private void onMediaEvent(ParticipantEvent e) {
    Set<ParticipantEvent.Kind> roster = EnumSet.of(ParticipantEvent.Kind.JOINED, ParticipantEvent.Kind.LEFT,
        ParticipantEvent.Kind.MEDIA_HELD, ParticipantEvent.Kind.MEDIA_RESUMED);
    if (!roster.contains(e.kind())) {
      return;
    }
    boolean held = media.held(e.callId());
    sockets.of(e.callId()).forEach((pid, c) -> c.send(new JsonObject().put("type", "call.peers").put("call_id", e.callId())
        .put("held", held).put("peers", peers(e.callId(), pid))));
  }

  /** Sends the one-minute warning to this node's sockets of a call. */
  void warn(String callId, Instant endsAt) {
    sockets.of(callId).values().forEach(c -> c.send(new JsonObject().put("type", "call.warning").put("call_id", callId)
        .put("ends_at", endsAt.toString()).put("text", "One minute left.")));
  }

  private JsonArray peers(String callId, String participantId) {
    return new JsonArray(media.peersOf(callId, participantId).stream().map(p -> new JsonObject().put("id", p.id())
        .put("name", p.name()).put("role", p.role().name()).put("connect", p.connect())
        // one side offers: the smaller id (both sides compute the same)
        .put("offer", participantId.compareTo(p.id()) < 0)).toList());
  }

  private static JsonObject signalFrame(JsonObject event) {
    return new JsonObject().put("type", "call.signal").put("call_id", event.getString("call_id"))
        .put("from", event.getString("from")).put("data", event.getJsonObject("data"));
  }

  static JsonObject encode(EmbeddedChange c) {
    JsonObject j = new JsonObject().put("kind", c.kind().name()).put("call_id", c.callId()).put("at", c.at().toString());
    if (c.participantId() != null) {
      j.put("participant_id", c.participantId());
    }
    if (c.participant() != null) {
      j.put("participant", new JsonObject().put("id", c.participant().id()).put("name", c.participant().name())
          .put("role", c.participant().role().name()));
    }
    if (c.spec() != null) {
      ConferenceSpec s = c.spec();
      j.put("spec", new JsonObject().put("establishments", new JsonArray(s.establishments().stream().sorted().toList()))
          .put("supervisors", new JsonArray(s.supervisors().stream().map(Enum::name).sorted().toList()))
          .put("record", s.record()).put("end_by", s.endBy().toString()));
    }
    return j;
  }

  static EmbeddedChange decode(JsonObject j) {
    JsonObject p = j.getJsonObject("participant");
    JsonObject s = j.getJsonObject("spec");
    ConferenceSpec spec = s == null ? null : new ConferenceSpec(j.getString("call_id"),
        Set.copyOf(s.getJsonArray("establishments").stream().map(String::valueOf).toList()),
        Set.copyOf(s.getJsonArray("supervisors").stream().map(x -> SupervisorRole.valueOf(String.valueOf(x))).toList()),
        s.getBoolean("record"), Instant.parse(s.getString("end_by")));
    return new EmbeddedChange(EmbeddedChange.Kind.valueOf(j.getString("kind")), j.getString("call_id"), spec,
        p == null ? null : new Participant(p.getString("id"), p.getString("name"), ParticipantRole.valueOf(p.getString("role"))),
        j.getString("participant_id"), Instant.parse(j.getString("at")));
  }
}
