package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kinlink.gateway.contacts.ContactEvents;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.media.EndReason;
import org.kinlink.media.MediaBackend;
import org.kinlink.media.ParticipantEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends calls when they must end, on every node: when a restriction or clearance change forbids a
 * running call (the contacts capability publishes {@link ContactEvents#CONTACT_CHANGED} and
 * {@link ContactEvents#CLEARANCE_CHANGED} on every node's event bus, so whichever node carries a
 * call's signalling acts at once), and, each second, at END_BY (with a one-minute warning first), on
 * a no-show, when a supervisor has been gone too long and when a recorder has gone silent. Several
 * nodes may act on the same call: ending is a versioned change, so only one ends it and audits it.
 */
final class CallEnforcer {
  private static final Logger log = LoggerFactory.getLogger(CallEnforcer.class);
  static final Duration WARN_BEFORE = Duration.ofMinutes(1);

  private final Vertx vertx;
  private final CallStore store;
  private final CallsService service;
  private final MediaBackend media;
  private final CallSignalling signalling;
  private final Clock clock;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private long timer = -1;

  CallEnforcer(Vertx vertx, CallStore store, CallsService service, MediaBackend media, CallSignalling signalling, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.service = service;
    this.media = media;
    this.signalling = signalling;
    this.clock = clock;
  }

  void start(Duration every) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(ContactEvents.CONTACT_CHANGED, m -> changed(m.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(ContactEvents.CLEARANCE_CHANGED, m -> changed(m.body())));
    timer = vertx.setPeriodic(every.toMillis(), id -> sweep().onFailure(e -> log.warn("call sweep failed; next one retries", e)));
  }

  void stop() {
    consumers.forEach(MessageConsumer::unregister);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void changed(JsonObject event) {
    String prisonerId = event.getString("prisoner_id");
    if (prisonerId == null) {
      return;
    }
    recheckPrisoner(prisonerId).onFailure(e -> log.warn("re-deciding the calls of {} failed", prisonerId, e));
  }

  /** Decides again every running call of a prisoner; answers how many ended. */
  Future<Integer> recheckPrisoner(String prisonerId) {
    Instant now = clock.instant();
    return store.range(Keys.callsOfParty(prisonerId), now.minus(CallStore.LONGEST_CALL).minus(Duration.ofHours(1)).toEpochMilli(),
        now.plus(Duration.ofHours(1)).toEpochMilli(), 0, 500).compose(store::getAll).compose(calls -> {
          List<Future<Boolean>> checks = calls.stream()
              .filter(c -> CallState.RUNNING.contains(CallState.valueOf(c.getString("state"))))
              .map(service::recheck).toList();
          return Future.all(checks).map(all -> (int) all.<Boolean>list().stream().filter(b -> b).count());
        });
  }

  /** One pass over every active call at the clock's time (tests call it after moving the clock). */
  Future<Void> sweep() {
    Instant now = clock.instant();
    List<Future<?>> work = new ArrayList<>();
    // one end per call: when a supervisor has been gone too long and the recorder fell silent too,
    // the call ends for the supervisor's absence (the safeguarding reason), not for whichever of two
    // racing ends happened to win
    Set<String> ending = new java.util.HashSet<>();
    List<ParticipantEvent> due = new ArrayList<>(media.check(now));
    due.sort(java.util.Comparator.comparing(e -> e.kind() != ParticipantEvent.Kind.SUPERVISOR_GONE_TOO_LONG));
    for (ParticipantEvent e : due) {
      if ((e.kind() == ParticipantEvent.Kind.SUPERVISOR_GONE_TOO_LONG || e.kind() == ParticipantEvent.Kind.RECORDER_SILENT)
          && !ending.add(e.callId())) {
        continue;
      }
      switch (e.kind()) {
        case SUPERVISOR_GONE_TOO_LONG -> work.add(service.end(e.callId(), EndReason.SUPERVISOR_ABSENT, null, null));
        case RECORDER_SILENT -> work.add(service.end(e.callId(), EndReason.RECORDING_FAILED, null, null));
        default -> { }
      }
    }
    return Future.all(work).compose(v -> store.establishments()).compose(ests -> {
      List<Future<?>> each = new ArrayList<>();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      for (String est : ests) {
        each.add(sweep(est, now, seen));
      }
      return Future.all(each).mapEmpty();
    });
  }

  /** One establishment's active calls; an inter-prison call is stepped once, by whichever establishment sees it first. */
  private Future<Void> sweep(String est, Instant now, Set<String> seen) {
    return store.active(est).compose(active -> store.getAll(active.stream().map(x -> x.getValue()).toList()).compose(calls -> {
      List<Future<?>> steps = new ArrayList<>();
      Set<String> found = new java.util.HashSet<>();
      for (JsonObject c : calls) {
        found.add(c.getString("id"));
        if (CallState.valueOf(c.getString("state")).isFinal()) {
          // its change was written but the index update after it was lost (a node died): finish it
          steps.add(store.forget(est, c.getString("id"), CallsService.partyIdsOf(c)));
        } else if (seen.add(c.getString("id"))) {
          steps.add(step(c, now));
        }
      }
      for (var a : active) {
        // a place whose record was never written (the booking node died) counts only until its end
        if (!found.contains(a.getValue()) && a.getScore() < now.toEpochMilli()) {
          steps.add(store.forget(est, a.getValue(), List.of()));
        }
      }
      return Future.all(steps).mapEmpty();
    }));
  }

  private Future<?> step(JsonObject c, Instant now) {
    String id = c.getString("id");
    CallState state = CallState.valueOf(c.getString("state"));
    Instant start = Instant.parse(c.getString("start"));
    Instant endBy = Instant.parse(c.getString("end_by"));
    if (state == CallState.SCHEDULED && !now.isBefore(start.minus(CallsService.OPENS_EARLY))) {
      return now.isBefore(endBy) ? service.open(id) : service.open(id).compose(x -> service.end(id, EndReason.NO_SHOW, null, null));
    }
    if (!CallState.RUNNING.contains(state)) {
      return Future.succeededFuture();
    }
    if (!now.isBefore(endBy)) {
      warned.remove(id);
      return service.end(id, EndReason.TIME_UP, null, null);
    }
    if (!now.isBefore(endBy.minus(WARN_BEFORE)) && warned.add(id)) {
      signalling.warn(id, endBy);
    }
    if (state == CallState.OPEN && !now.isBefore(start.plus(CallsService.NO_SHOW_AFTER))) {
      return service.end(id, EndReason.NO_SHOW, null, null);
    }
    return Future.succeededFuture();
  }
}
