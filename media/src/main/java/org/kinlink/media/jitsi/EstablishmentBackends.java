package org.kinlink.media.jitsi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * backend it was created on, on every node: the first node to create a call on a non-default backend
 * writes the backend's name into the {@link SharedCallState}, so a node that never saw the call (it
 * learnt of a suspension, END_BY or a staff terminate first) ends it on the right backend. A call with
 * no such entry is on the default backend.
 */
public final class EstablishmentBackends implements MediaBackend {
  /** The shared field naming a call's backend ({@link MediaBackend#name()}). */
  public static final String BACKEND = "backend";
  static final java.time.Duration KEEP_AFTER_END = java.time.Duration.ofDays(1);
  private final MediaBackend fallback;
  private final Map<String, MediaBackend> byEstablishment;
  private final Map<String, MediaBackend> byName = new ConcurrentHashMap<>();
  /** This node's memory of the shared entry (a call's backend never changes). */
  private final Map<String, MediaBackend> byCall = new ConcurrentHashMap<>();
  private final SharedCallState shared;

  /** One node only (tests): the backend of a call is remembered in this node's memory. */
  public EstablishmentBackends(MediaBackend fallback, Map<String, ? extends MediaBackend> byEstablishment) {
    this(fallback, byEstablishment, SharedCallState.inMemory());
  }

  public EstablishmentBackends(MediaBackend fallback, Map<String, ? extends MediaBackend> byEstablishment,
      SharedCallState shared) {
    this.fallback = fallback;
    this.byEstablishment = Map.copyOf(byEstablishment);
    this.shared = shared;
    distinct().forEach(b -> byName.putIfAbsent(b.name(), b));
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

  /** The backend a call was created on, by whichever node. */
  private CompletionStage<MediaBackend> of(String callId) {
    MediaBackend known = byCall.get(callId);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return shared.read(callId).thenApply(fields -> {
      String name = fields.get(BACKEND);
      MediaBackend b = name == null ? null : byName.get(name);
      if (b == null) {
        return fallback;
      }
      byCall.put(callId, b);
      return b;
    });
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
    MediaBackend known = byCall.get(spec.callId());
    if (known != null) {
      return known.create(spec);
    }
    MediaBackend chosen = choose(spec.establishments());
    if (chosen == fallback) {
      // no entry means the default: the commonest calls cost no write
      return of(spec.callId()).thenCompose(b -> b.create(spec));
    }
    // written before the conference exists, so any node that must end it finds it
    return shared.writeOnce(spec.callId(), BACKEND, chosen.name(), spec.endBy().plus(KEEP_AFTER_END))
        .thenCompose(first -> first ? CompletableFuture.completedFuture(chosen) : of(spec.callId()))
        .thenCompose(b -> {
          byCall.put(spec.callId(), b);
          return b.create(spec);
        });
  }

  @Override
  public CompletionStage<Admission> admit(String callId, Participant participant) {
    return of(callId).thenCompose(b -> b.admit(callId, participant));
  }

  @Override
  public CompletionStage<Void> remove(String callId, String participantId) {
    return of(callId).thenCompose(b -> b.remove(callId, participantId));
  }

  @Override
  public CompletionStage<Admission> addMonitor(String callId, Participant monitor) {
    return of(callId).thenCompose(b -> b.addMonitor(callId, monitor));
  }

  @Override
  public CompletionStage<Void> startRecording(String callId) {
    return of(callId).thenCompose(b -> b.startRecording(callId));
  }

  @Override
  public CompletionStage<Void> stopRecording(String callId) {
    return of(callId).thenCompose(b -> b.stopRecording(callId));
  }

  @Override
  public CompletionStage<Void> end(String callId, EndReason why) {
    return of(callId).thenCompose(b -> b.end(callId, why)).thenRun(() -> byCall.remove(callId));
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
