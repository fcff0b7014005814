package org.kinlink.media.jitsi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.kinlink.media.Admission;
import org.kinlink.media.ConferenceSpec;
import org.kinlink.media.EndReason;
import org.kinlink.media.MediaBackend;
import org.kinlink.media.Participant;
import org.kinlink.media.ParticipantEvent;
import org.kinlink.policy.model.ObligationType;

/**
 * The backend each establishment's configuration names, behind the one interface the call lifecycle
 * talks to: a call goes to an establishment's Jitsi deployment only when every establishment of the
 * call names that same deployment, otherwise to the default (embedded) backend. A call stays on the
 * backend it was created on; calls this node never created go to the default.
 */
public final class EstablishmentBackends implements MediaBackend {
  private final MediaBackend fallback;
  private final Map<String, MediaBackend> byEstablishment;
  private final Map<String, MediaBackend> byCall = new ConcurrentHashMap<>();

  public EstablishmentBackends(MediaBackend fallback, Map<String, ? extends MediaBackend> byEstablishment) {
    this.fallback = fallback;
    this.byEstablishment = Map.copyOf(byEstablishment);
  }

  /** The backend a call of these establishments uses. */
  public MediaBackend choose(Set<String> establishments) {
    MediaBackend chosen = null;
    for (String est : establishments) {
      MediaBackend b = byEstablishment.getOrDefault(est, fallback);
      if (chosen != null && chosen != b) {
        return fallback;
      }
      chosen = b;
    }
    return chosen == null ? fallback : chosen;
  }

  private MediaBackend of(String callId) {
    return byCall.getOrDefault(callId, fallback);
  }

  @Override
  public String name() {
    return fallback.name();
  }

  @Override
  public Set<ObligationType> enforceableNow(String establishment) {
    return byEstablishment.getOrDefault(establishment, fallback).enforceableNow(establishment);
  }

  @Override
  public CompletionStage<Void> create(ConferenceSpec spec) {
    MediaBackend b = byCall.computeIfAbsent(spec.callId(), id -> choose(spec.establishments()));
    return b.create(spec);
  }

  @Override
  public CompletionStage<Admission> admit(String callId, Participant participant) {
    return of(callId).admit(callId, participant);
  }

  @Override
  public CompletionStage<Void> remove(String callId, String participantId) {
    return of(callId).remove(callId, participantId);
  }

  @Override
  public CompletionStage<Admission> addMonitor(String callId, Participant monitor) {
    return of(callId).addMonitor(callId, monitor);
  }

  @Override
  public CompletionStage<Void> startRecording(String callId) {
    return of(callId).startRecording(callId);
  }

  @Override
  public CompletionStage<Void> stopRecording(String callId) {
    return of(callId).stopRecording(callId);
  }

  @Override
  public CompletionStage<Void> end(String callId, EndReason why) {
    return of(callId).end(callId, why).thenRun(() -> byCall.remove(callId));
  }

  @Override
  public void onEvent(Consumer<ParticipantEvent> listener) {
    distinct().forEach(b -> b.onEvent(listener));
  }

  @Override
  public List<ParticipantEvent> check(Instant now) {
    List<ParticipantEvent> all = new ArrayList<>();
    distinct().forEach(b -> all.addAll(b.check(now)));
    return all;
  }

  private List<MediaBackend> distinct() {
    List<MediaBackend> out = new ArrayList<>(List.of(fallback));
    byEstablishment.values().stream().distinct().filter(b -> b != fallback).forEach(out::add);
    return out;
  }
}
