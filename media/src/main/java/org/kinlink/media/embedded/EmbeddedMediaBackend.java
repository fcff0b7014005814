package org.kinlink.media.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.kinlink.media.Admission;
import org.kinlink.media.ConferenceSpec;
import org.kinlink.media.EndReason;
import org.kinlink.media.MediaBackend;
import org.kinlink.media.Participant;
import org.kinlink.media.ParticipantEvent;
import org.kinlink.media.ParticipantRole;
import org.kinlink.media.TurnCredentials;
import org.kinlink.policy.model.ObligationType;

/**
 * The default backend: browsers connect peer to peer with WebRTC and the gateway's WebSocket is the
 * only signalling path. This class is the relay's rule book: who is admitted to which call, who is
 * present, and so whether an offer, answer or ICE candidate may pass from one participant to another
 * ({@link #mayRelay}) and whom each participant should connect to now ({@link #peersOf}).
 *
 * <p>Rules: only admitted, present participants of the same call exchange signalling. In a SUPERVISED
 * call nothing passes between the prisoner and a child while no supervisor is present (before the
 * supervisor first arrives, and whenever they leave); the prison-side client closes that connection
 * when told, since the kiosk is the locked-down end. A monitor exchanges signalling only with the
 * prisoner side (receive-only there) and appears in nobody else's list. A recorded call whose kiosk
 * sends no recording chunk for {@code recorderSilence} is reported by {@link #check}.
 *
 * <p>State is in memory; a gateway with several nodes gives a {@link Replicator} that carries each
 * change to the other nodes, which {@link #apply} it, so every node can check a relay on its own.
 */
public final class EmbeddedMediaBackend implements MediaBackend {
  public static final String NAME = "embedded";

  /** Carries a change made on this node to the other nodes (which call {@link #apply}). */
  @FunctionalInterface
  public interface Replicator {
    void replicate(EmbeddedChange change);
  }

  /** A participant as another participant's client sees them. */
  public record Peer(String id, String name, ParticipantRole role, boolean connect) {}

  private static final class Conference {
    final ConferenceSpec spec;
    final Map<String, Participant> admitted = new LinkedHashMap<>();
    final Set<String> present = new LinkedHashSet<>();
    Instant supervisorLeftAt;
    boolean recording;
    Instant lastChunk;
    boolean wasLive;

    Conference(ConferenceSpec spec) {
      this.spec = spec;
    }

    boolean supervisorPresent() {
      return present.stream().map(admitted::get).anyMatch(p -> p != null && p.role() == ParticipantRole.SUPERVISOR);
    }

    boolean held() {
      return spec.supervised() && !supervisorPresent();
    }
  }

  private final Clock clock;
  private final List<String> stunUrls;
  private final List<String> turnUrls;
  private final TurnCredentials turn;
  private final Duration supervisorAbsence;
  private final Duration recorderSilence;
  private final Map<String, Conference> conferences = new LinkedHashMap<>();
  private final List<Consumer<ParticipantEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile Replicator replicator = change -> {};
  private volatile boolean recorderAvailable = true;

  /**
   * @param turn mints per-join TURN credentials (null: no TURN server configured, STUN only)
   * @param supervisorAbsence how long a SUPERVISED call may go on without its supervisor before it must end
   * @param recorderSilence how long a recorded call may go without a chunk before it must end
   */
  public EmbeddedMediaBackend(Clock clock, List<String> stunUrls, List<String> turnUrls, TurnCredentials turn,
      Duration supervisorAbsence, Duration recorderSilence) {
    this.clock = clock;
    this.stunUrls = List.copyOf(stunUrls);
    this.turnUrls = List.copyOf(turnUrls);
    this.turn = turn;
    this.supervisorAbsence = supervisorAbsence;
    this.recorderSilence = recorderSilence;
  }

  /** Sets how changes reach the other nodes (default: nowhere, a single node). */
  public void replicator(Replicator value) {
    this.replicator = value;
  }

  /**
   * Says whether the recording store can take chunks now. While it cannot, RECORD is not in
   * {@link #enforceableNow} and recorded calls are refused at booking and at the door.
   */
  public void recorderAvailable(boolean available) {
    this.recorderAvailable = available;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ObligationType> enforceableNow(String establishment) {
    // END_BY, supervision and monitoring are the relay's own rules; RECORD needs the recording store
    EnumSet<ObligationType> can = EnumSet.of(ObligationType.END_BY, ObligationType.SUPERVISOR_PRESENT,
        ObligationType.MONITOR, ObligationType.NO_RECORDING);
    if (recorderAvailable) {
      can.add(ObligationType.RECORD);
    }
    return can;
  }

  @Override
  public CompletionStage<Void> create(ConferenceSpec spec) {
    return change(new EmbeddedChange(EmbeddedChange.Kind.CREATE, spec.callId(), spec, null, null, clock.instant()));
  }

  @Override
  public CompletionStage<Admission> admit(String callId, Participant participant) {
    if (participant.role() == ParticipantRole.MONITOR) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("a monitor is added with addMonitor"));
    }
    return admitAny(callId, participant);
  }

  @Override
  public CompletionStage<Admission> addMonitor(String callId, Participant monitor) {
    return admitAny(callId, new Participant(monitor.id(), monitor.name(), ParticipantRole.MONITOR));
  }

  private CompletionStage<Admission> admitAny(String callId, Participant participant) {
    synchronized (this) {
      if (!conferences.containsKey(callId)) {
        return CompletableFuture.failedFuture(new IllegalStateException("no conference " + callId));
      }
    }
    Instant now = clock.instant();
    return change(new EmbeddedChange(EmbeddedChange.Kind.ADMIT, callId, null, participant, participant.id(), now))
        .thenApply(v -> new Admission(NAME, Map.of("ice_servers", iceServers(participant.id(), now))));
  }

  private List<Map<String, Object>> iceServers(String participantId, Instant now) {
    List<Map<String, Object>> servers = new ArrayList<>();
    if (!stunUrls.isEmpty()) {
      servers.add(Admission.iceServer(stunUrls, null, null));
    }
    if (turn != null && !turnUrls.isEmpty()) {
      TurnCredentials.Credential c = turn.mint(participantId, now);
      servers.add(Admission.iceServer(turnUrls, c.username(), c.credential()));
    }
    return servers;
  }

  @Override
  public CompletionStage<Void> remove(String callId, String participantId) {
    return change(EmbeddedChange.about(EmbeddedChange.Kind.REMOVE, callId, participantId, clock.instant()));
  }

  @Override
  public CompletionStage<Void> startRecording(String callId) {
    return change(EmbeddedChange.of(EmbeddedChange.Kind.RECORDING_START, callId, clock.instant()));
  }

  @Override
  public CompletionStage<Void> stopRecording(String callId) {
    return change(EmbeddedChange.of(EmbeddedChange.Kind.RECORDING_STOP, callId, clock.instant()));
  }

  @Override
  public CompletionStage<Void> end(String callId, EndReason why) {
    return change(EmbeddedChange.of(EmbeddedChange.Kind.END, callId, clock.instant()));
  }

  @Override
  public void onEvent(Consumer<ParticipantEvent> listener) {
    listeners.add(listener);
  }

  /** A participant's socket joined the call's signalling (they must be admitted). */
  public CompletionStage<Void> present(String callId, String participantId) {
    if (!isAdmitted(callId, participantId)) {
      return CompletableFuture.failedFuture(new IllegalStateException(participantId + " is not admitted to " + callId));
    }
    return change(EmbeddedChange.about(EmbeddedChange.Kind.PRESENT, callId, participantId, clock.instant()));
  }

  /** A participant's socket left (closed, or the participant pressed leave). */
  public CompletionStage<Void> absent(String callId, String participantId) {
    return change(EmbeddedChange.about(EmbeddedChange.Kind.ABSENT, callId, participantId, clock.instant()));
  }

  /** A recording chunk of the call arrived. */
  public CompletionStage<Void> chunk(String callId) {
    return change(EmbeddedChange.of(EmbeddedChange.Kind.CHUNK, callId, clock.instant()));
  }

  private CompletionStage<Void> change(EmbeddedChange c) {
    apply(c);
    replicator.replicate(c);
    return CompletableFuture.completedFuture(null);
  }

  /** Applies a change (made here, or carried from another node). */
  public void apply(EmbeddedChange c) {
    List<ParticipantEvent> events = new ArrayList<>();
    synchronized (this) {
      Conference conf = conferences.get(c.callId());
      switch (c.kind()) {
        case CREATE -> conferences.putIfAbsent(c.callId(), new Conference(c.spec()));
        case ADMIT -> {
          if (conf != null) {
            conf.admitted.put(c.participant().id(), c.participant());
          }
        }
        case REMOVE -> {
          if (conf != null) {
            leave(conf, c.participantId(), c.at(), events);
            conf.admitted.remove(c.participantId());
          }
        }
        case PRESENT -> {
          if (conf != null && conf.admitted.containsKey(c.participantId()) && !conf.present.contains(c.participantId())) {
            boolean heldBefore = conf.held();
            conf.present.add(c.participantId());
            Participant p = conf.admitted.get(c.participantId());
            events.add(new ParticipantEvent(ParticipantEvent.Kind.JOINED, c.callId(), p.id(), p.role(), c.at()));
            if (p.role() == ParticipantRole.SUPERVISOR) {
              conf.supervisorLeftAt = null;
              if (heldBefore) {
                events.add(new ParticipantEvent(ParticipantEvent.Kind.MEDIA_RESUMED, c.callId(), p.id(), p.role(), c.at()));
              }
            }
          }
        }
        case ABSENT -> {
          if (conf != null) {
            leave(conf, c.participantId(), c.at(), events);
          }
        }
        case RECORDING_START -> {
          if (conf != null && !conf.recording) {
            conf.recording = true;
            conf.lastChunk = c.at();
          }
        }
        case RECORDING_STOP -> {
          if (conf != null) {
            conf.recording = false;
          }
        }
        case CHUNK -> {
          if (conf != null && (conf.lastChunk == null || c.at().isAfter(conf.lastChunk))) {
            conf.lastChunk = c.at();
          }
        }
        case END -> conferences.remove(c.callId());
      }
    }
    events.forEach(this::emit);
  }

  private void leave(Conference conf, String participantId, Instant at, List<ParticipantEvent> events) {
    if (!conf.present.remove(participantId)) {
      return;
    }
    Participant p = conf.admitted.get(participantId);
    ParticipantRole role = p == null ? null : p.role();
    events.add(new ParticipantEvent(ParticipantEvent.Kind.LEFT, conf.spec.callId(), participantId, role, at));
    if (role == ParticipantRole.SUPERVISOR && conf.held()) {
      conf.supervisorLeftAt = at;
      events.add(new ParticipantEvent(ParticipantEvent.Kind.MEDIA_HELD, conf.spec.callId(), participantId, role, at));
    }
    boolean anyoneLeft = conf.present.stream().map(conf.admitted::get)
        .anyMatch(q -> q != null && q.role() != ParticipantRole.MONITOR);
    if (!anyoneLeft) {
      events.add(new ParticipantEvent(ParticipantEvent.Kind.EMPTY, conf.spec.callId(), null, null, at));
    }
  }

  private void emit(ParticipantEvent e) {
    for (Consumer<ParticipantEvent> l : listeners) {
      l.accept(e);
    }
  }

  @Override
  public synchronized List<ParticipantEvent> check(Instant now) {
    List<ParticipantEvent> out = new ArrayList<>();
    for (Conference conf : conferences.values()) {
      String id = conf.spec.callId();
      if (conf.supervisorLeftAt != null && conf.held()
          && !now.isBefore(conf.supervisorLeftAt.plus(supervisorAbsence))) {
        out.add(new ParticipantEvent(ParticipantEvent.Kind.SUPERVISOR_GONE_TOO_LONG, id, null, ParticipantRole.SUPERVISOR, now));
      }
      if (conf.spec.record() && conf.recording && conf.lastChunk != null
          && !now.isBefore(conf.lastChunk.plus(recorderSilence))) {
        out.add(new ParticipantEvent(ParticipantEvent.Kind.RECORDER_SILENT, id, null, ParticipantRole.PRISONER, now));
      }
    }
    return out;
  }

  /** True when an offer, answer or ICE candidate may pass from {@code from} to {@code to} in this call now. */
  public synchronized boolean mayRelay(String callId, String from, String to) {
    Conference conf = conferences.get(callId);
    if (conf == null || from.equals(to) || !conf.present.contains(from) || !conf.present.contains(to)) {
      return false;
    }
    Participant a = conf.admitted.get(from);
    Participant b = conf.admitted.get(to);
    return a != null && b != null && pairAllowed(conf, a, b);
  }

  private static boolean pairAllowed(Conference conf, Participant a, Participant b) {
    boolean monitorA = a.role() == ParticipantRole.MONITOR;
    boolean monitorB = b.role() == ParticipantRole.MONITOR;
    if (monitorA || monitorB) {
      // a monitor only watches the prison side, and two monitors have nothing to exchange
      return monitorA != monitorB && (monitorA ? b : a).role() == ParticipantRole.PRISONER;
    }
    if (conf.held()) {
      boolean prisonerAndChild = (a.role() == ParticipantRole.PRISONER && b.role().needsSupervision())
          || (b.role() == ParticipantRole.PRISONER && a.role().needsSupervision());
      return !prisonerAndChild;
    }
    return true;
  }

  /**
   * Whom {@code participantId}'s client should see and connect to now: every other present
   * participant, each with whether media may flow to them; monitors appear only to the prison side.
   */
  public synchronized List<Peer> peersOf(String callId, String participantId) {
    Conference conf = conferences.get(callId);
    if (conf == null || !conf.admitted.containsKey(participantId)) {
      return List.of();
    }
    Participant me = conf.admitted.get(participantId);
    List<Peer> out = new ArrayList<>();
    for (String id : conf.present) {
      Participant other = conf.admitted.get(id);
      if (other == null || id.equals(participantId)) {
        continue;
      }
      boolean allowed = pairAllowed(conf, me, other);
      if (other.role() == ParticipantRole.MONITOR && !allowed) {
        continue; // hidden
      }
      if (me.role() == ParticipantRole.MONITOR && !allowed) {
        continue;
      }
      out.add(new Peer(other.id(), other.name(), other.role(), allowed));
    }
    return out;
  }

  /** The participants present in a call (monitors included), in arrival order. */
  public synchronized List<Participant> present(String callId) {
    Conference conf = conferences.get(callId);
    return conf == null ? List.of() : conf.present.stream().map(conf.admitted::get).filter(p -> p != null).toList();
  }

  public synchronized boolean isAdmitted(String callId, String participantId) {
    Conference conf = conferences.get(callId);
    return conf != null && conf.admitted.containsKey(participantId);
  }

  public synchronized Optional<Participant> admitted(String callId, String participantId) {
    Conference conf = conferences.get(callId);
    return conf == null ? Optional.empty() : Optional.ofNullable(conf.admitted.get(participantId));
  }

  /** True while a SUPERVISED call has no supervisor present. */
  public synchronized boolean held(String callId) {
    Conference conf = conferences.get(callId);
    return conf != null && conf.held();
  }

  public synchronized boolean exists(String callId) {
    return conferences.containsKey(callId);
  }
}
