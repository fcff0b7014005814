package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.contacts.ContactDecisions;
import org.kinlink.gateway.contacts.Parties;
import org.kinlink.gateway.contacts.PolicySnapshots;
import org.kinlink.gateway.contacts.UsageCounters;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.jitsi.RoomAuthority;
import org.kinlink.media.Admission;
import org.kinlink.media.ConferenceSpec;
import org.kinlink.media.EndReason;
import org.kinlink.media.MediaBackend;
import org.kinlink.media.Participant;
import org.kinlink.media.ParticipantRole;
import org.kinlink.policy.Decision;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.model.SupervisorRole;

/**
 * The call lifecycle: booking (a policy decision, the establishments' call hours and capacity, no
 * clashes), approval, cancellation, joining (a fresh decision at that moment), one-time links for
 * children, security monitoring, and ending. Every change is audited and pushed to the participants
 * as a {@code call.state} frame. The media backend only carries out what a decision allowed; this
 * class never asks which backend it talks to.
 */
public final class CallsService {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallsService.class);

  /** A call opens (participants may join) this long before its start. */
  static final Duration OPENS_EARLY = Duration.ofMinutes(5);
  /** An open call nobody joined by this long after its start ends as a no-show. */
  static final Duration NO_SHOW_AFTER = Duration.ofMinutes(15);
  static final int MIN_MINUTES = 5;
  static final int MAX_MINUTES = (int) CallStore.LONGEST_CALL.toMinutes();
  private static final Duration SLOT_STEP = Duration.ofMinutes(15);
  private static final int FREE_SLOTS = 3;
  private static final Set<Role> APPROVERS = EnumSet.of(Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN);

  private final CallStore store;
  private final ContactDecisions decisions;
  private final PolicySnapshots snapshots;
  private final Parties parties;
  private final UsageCounters usage;
  private final AuditLog audit;
  private final MediaBackend media;
  private final CallPushes pushes;
  private final RecordingRetention retention;
  private final Clock clock;

  CallsService(CallStore store, ContactDecisions decisions, PolicySnapshots snapshots, Parties parties, UsageCounters usage,
      AuditLog audit, MediaBackend media, CallPushes pushes, RecordingRetention retention, Clock clock) {
    this.store = store;
    this.decisions = decisions;
    this.snapshots = snapshots;
    this.parties = parties;
    this.usage = usage;
    this.audit = audit;
    this.media = media;
    this.pushes = pushes;
    this.retention = retention;
    this.clock = clock;
  }

  /** An answer with its HTTP status. */
  public record Answer(int status, JsonObject body) {}

  // ---------------------------------------------------------------- booking

  /** {@code POST /api/v1/calls}: a mother on her kiosk, a person outside, or staff books a call on a contact. */
  public Future<Answer> request(Principal p, JsonObject body) {
    String contactId = body.getString("contact_id");
    Instant start = instant(body.getString("start"), "start");
    int minutes = body.getInteger("duration", 30);
    if (minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
      throw ApiException.unprocessable("BAD_DURATION", "A call lasts from " + MIN_MINUTES + " to " + MAX_MINUTES + " minutes.", "duration");
    }
    Instant now = clock.instant();
    if (!start.isAfter(now.minus(Duration.ofMinutes(1)))) {
      throw ApiException.unprocessable("START_IN_PAST", "Choose a start time that has not passed.", "start");
    }
    Instant end = start.plus(Duration.ofMinutes(minutes));
    List<String> asked = new ArrayList<>();
    body.getJsonArray("participants", new JsonArray()).forEach(o -> asked.add(String.valueOf(o)));
    return snapshots.ownerOf(contactId).compose(owner -> owner.isEmpty() ? Future.failedFuture(noContact(contactId))
        : parties.prisoner(owner.get())).compose(home -> home.isEmpty() ? Future.failedFuture(noContact(contactId))
            : snapshots.current(home.get().id()).compose(snap -> {
              var contact = snap.contact(contactId).orElse(null);
              if (contact == null) {
                return Future.failedFuture(noContact(contactId));
              }
              Set<String> ids = new LinkedHashSet<>();
              ids.add(contact.partyId());
              ids.addAll(asked);
              switch (p.role()) {
                case PRISONER -> {
                  if (!home.get().id().equals(p.personId())) {
                    return Future.failedFuture(noContact(contactId));
                  }
                }
                case OUTSIDE -> {
                  // the contact's own party, or an adult with a contact of her own booking for a child (the school lead for Jade)
                  if (!contact.partyId().equals(p.personId())) {
                    if (!snap.hasLiveContactWith(p.personId())) {
                      return Future.failedFuture(noContact(contactId));
                    }
                    ids.add(p.personId());
                  }
                }
                default -> p.requireEstablishment(home.get().establishment());
              }
              ids.remove(home.get().id());
              return resolve(new ArrayList<>(ids)).compose(people -> book(p, home.get(), contactId, people, start, end, minutes, now));
            }));
  }

  private Future<Answer> book(Principal p, Parties.PrisonerInfo home, String contactId, List<Parties.PartyInfo> people,
      Instant start, Instant end, int minutes, Instant now) {
    List<String> ests = new ArrayList<>(List.of(home.establishment()));
    people.stream().filter(Parties.PartyInfo::isPrisoner).map(x -> x.prisoner().establishment())
        .filter(e -> !ests.contains(e)).forEach(ests::add);
    List<String> participantIds = people.stream().map(CallsService::participantId).toList();
    String callId = "call-" + UUID.randomUUID();
    ContactDecisions.Ask ask = new ContactDecisions.Ask(Action.BOOK_CALL, contactId, p, as(p, home, people), start,
        participantIds, Duration.between(start, end), null, false, enforceable(ests));
    return decisions.decide(ask).compose(outcome -> {
      Decision d = outcome.decision();
      if (d.effect() == Effect.DENY) {
        return audit.append(event(p, "call.request", home, contactId, callId, "DENIED").detail("rules", rules(d))
            .detail("start", start.toString()).build()).compose(e -> Future.failedFuture(refused(d, "CALL_NOT_ALLOWED")));
      }
      return Future.all(ests.stream().map(store::settings).toList()).compose(all -> {
        List<CallSettings> settings = all.<CallSettings>list();
        for (int i = 0; i < ests.size(); i++) {
          if (!settings.get(i).within(start, end)) {
            CallSettings s = settings.get(i);
            return nextFree(ests, settings, allParties(home, participantIds), start, end).compose(free -> Future.failedFuture(
                new ApiException(422, "OUTSIDE_CALL_HOURS", "Calls happen between " + s.opens() + " and " + s.closes()
                    + " (UK time). Choose another time.", "start", null, new JsonObject().put("next_free", free))));
          }
        }
        Set<String> approvals = new LinkedHashSet<>();
        for (int i = 0; i < ests.size(); i++) {
          if (settings.get(i).approvalRequired() || d.effect() == Effect.REVIEW || ests.size() > 1) {
            approvals.add(ests.get(i));
          }
        }
        CallState state = approvals.isEmpty() ? CallState.SCHEDULED : CallState.PENDING_APPROVAL;
        JsonObject call = record(callId, p, home, contactId, people, ests, start, end, minutes, d, approvals, state, now);
        List<Integer> capacities = settings.stream().map(CallSettings::capacity).toList();
        AuditEvent booked = event(p, "call.request", home, contactId, callId, state.name()).detail("rules", rules(d))
            .detail("start", start.toString()).detail("minutes", minutes).detail("establishments", new JsonArray(ests)).build();
        // the booking and its audit entry commit together; the usage count and the push come before the append
        return store.book(call, start, end, ests, capacities, allParties(home, participantIds), booked,
                () -> usage.recordCall(home.id(), contactId, callId, start, 1).compose(n -> pushes.state(call)))
            .compose(r -> r.isPresent() ? slotRefused(r.get(), ests, settings, allParties(home, participantIds), start, end)
                : Future.succeededFuture(new Answer(201, view(call, p).put("decision", new JsonObject(d.toJson(p.isStaff()))))));
      });
    });
  }

  private Future<Answer> slotRefused(CallStore.Refusal r, List<String> ests, List<CallSettings> settings,
      List<String> partyIds, Instant start, Instant end) {
    return nextFree(ests, settings, partyIds, start, end).compose(free -> {
      JsonObject details = new JsonObject().put("next_free", free);
      ApiException e = switch (r.why()) {
        case "FULL" -> new ApiException(409, "SLOT_FULL", "Every call place is taken at that time. Choose another time.",
            "start", null, details);
        case "CLASH" -> new ApiException(409, "CALL_CLASH", "Someone in this call already has a call at that time. "
            + "Choose another time.", "start", null, details);
        default -> ApiException.conflict("CALL_EXISTS", "This call is already booked.");
      };
      return Future.failedFuture(e);
    });
  }

  /** The next few starts after {@code start} when every establishment has room and nobody is busy. */
  private Future<JsonArray> nextFree(List<String> ests, List<CallSettings> settings, List<String> partyIds, Instant start,
      Instant end) {
    Duration length = Duration.between(start, end);
    Instant horizon = start.plus(Duration.ofDays(7));
    long from = start.minus(CallStore.LONGEST_CALL).toEpochMilli();
    List<Future<List<String>>> reads = new ArrayList<>();
    ests.forEach(e -> reads.add(store.range(org.kinlink.gateway.redis.Keys.callsOfEstablishment(e), from, horizon.toEpochMilli(), 0, 2000)));
    partyIds.forEach(x -> reads.add(store.range(org.kinlink.gateway.redis.Keys.callsOfParty(x), from, horizon.toEpochMilli(), 0, 2000)));
    return Future.all(reads).compose(all -> {
      Set<String> ids = new LinkedHashSet<>();
      for (int i = 0; i < reads.size(); i++) {
        ids.addAll(all.<List<String>>resultAt(i));
      }
      return store.getAll(new ArrayList<>(ids));
    }).map(calls -> {
      List<JsonObject> active = calls.stream().filter(c -> !CallState.valueOf(c.getString("state")).isFinal()).toList();
      JsonArray free = new JsonArray();
      Instant now = clock.instant();
      for (Instant t = align(start.plus(SLOT_STEP)); t.isBefore(horizon) && free.size() < FREE_SLOTS; t = t.plus(SLOT_STEP)) {
        Instant s = t;
        Instant e = t.plus(length);
        if (s.isBefore(now)) {
          continue;
        }
        boolean ok = true;
        for (int i = 0; i < ests.size() && ok; i++) {
          String est = ests.get(i);
          long overlapping = active.stream().filter(c -> c.getJsonArray("establishments").contains(est) && overlaps(c, s, e)).count();
          ok = settings.get(i).within(s, e) && overlapping < settings.get(i).capacity();
        }
        for (int i = 0; i < partyIds.size() && ok; i++) {
          String party = partyIds.get(i);
          ok = active.stream().noneMatch(c -> partyIdsOf(c).contains(party) && overlaps(c, s, e));
        }
        if (ok) {
          free.add(new JsonObject().put("start", s.toString()).put("end", e.toString()));
        }
      }
      return free;
    });
  }

  private static Instant align(Instant t) {
    long step = SLOT_STEP.toMillis();
    long ms = t.toEpochMilli();
    return Instant.ofEpochMilli(((ms + step - 1) / step) * step);
  }

  private static boolean overlaps(JsonObject c, Instant s, Instant e) {
    return Instant.parse(c.getString("start")).isBefore(e) && Instant.parse(c.getString("end_by")).isAfter(s);
  }

  private JsonObject record(String callId, Principal p, Parties.PrisonerInfo home, String contactId,
      List<Parties.PartyInfo> people, List<String> ests, Instant start, Instant end, int minutes, Decision d,
      Set<String> approvals, CallState state, Instant now) {
    JsonArray participants = new JsonArray().add(new JsonObject().put("id", home.id()).put("name", home.name())
        .put("kind", "PRISONER").put("prisoner", true).put("prison_number", home.prisonNumber())
        .put("establishment", home.establishment()));
    for (Parties.PartyInfo x : people) {
      JsonObject j = new JsonObject().put("id", participantId(x)).put("name", x.name()).put("kind", x.isPrisoner() ? "PRISONER" : x.kind())
          .put("prisoner", x.isPrisoner()).put("child", x.child());
      if (x.isPrisoner()) {
        j.put("prison_number", x.prisoner().prisonNumber()).put("establishment", x.prisoner().establishment());
      }
      participants.add(j);
    }
    Instant endBy = d.endBy().filter(t -> t.isBefore(end)).orElse(end);
    JsonArray history = new JsonArray().add(step(CallState.REQUESTED, now, p, null));
    history.add(step(state, now, p, null));
    return new JsonObject().put("id", callId).put("v", 1).put("state", state.name()).put("contact_id", contactId)
        .put("prisoner_id", home.id()).put("establishments", new JsonArray(ests)).put("start", start.toString())
        .put("end", end.toString()).put("end_by", endBy.toString()).put("minutes", minutes)
        .put("participants", participants).put("requested_by", new JsonObject().put("id", actorId(p)).put("role", p.role().name()))
        .put("approvals_needed", new JsonArray(new ArrayList<>(approvals))).put("approvals", new JsonObject())
        .put("obligations", obligations(d, new JsonObject())).put("history", history).put("created_at", now.toString());
  }

  // ---------------------------------------------------------------- reading

  /** {@code GET /api/v1/calls}: my calls (staff: the establishment's), by start, paged. */
  public Future<JsonObject> list(Principal p, String fromText, String toText, String cursor, int limit) {
    Instant now = clock.instant();
    Instant from = fromText == null ? now.minus(Duration.ofDays(1)) : instant(fromText, "from");
    Instant to = toText == null ? now.plus(Duration.ofDays(60)) : instant(toText, "to");
    long offset = cursorOffset(cursor);
    String index = p.isStaff() ? org.kinlink.gateway.redis.Keys.callsOfEstablishment(p.establishment())
        : org.kinlink.gateway.redis.Keys.callsOfParty(p.personId() == null ? "-" : p.personId());
    return store.range(index, from.toEpochMilli(), to.toEpochMilli(), offset, limit + 1).compose(ids -> {
      boolean more = ids.size() > limit;
      List<String> page = more ? ids.subList(0, limit) : ids;
      return store.getAll(page).map(calls -> {
        JsonArray items = new JsonArray();
        calls.stream().filter(c -> visible(c, p)).forEach(c -> items.add(view(c, p)));
        return new JsonObject().put("items", items)
            .put("next_cursor", more ? cursor(offset + limit) : null);
      });
    });
  }

  /** {@code GET /api/v1/calls/{id}}. */
  public Future<JsonObject> get(Principal p, String callId) {
    return visibleCall(p, callId).map(c -> view(c, p));
  }

  /** The live calls of the caller's establishment with who is in each (security's console). */
  public Future<JsonObject> live(Principal p, java.util.function.Function<String, List<Participant>> present) {
    requireStaff(p);
    return store.active(p.establishment()).compose(active -> store.getAll(active.stream().map(v -> v.getValue()).toList())).map(calls -> {
      JsonArray items = new JsonArray();
      calls.stream().filter(c -> c.getJsonArray("establishments").contains(p.establishment()))
          .filter(c -> CallState.RUNNING.contains(CallState.valueOf(c.getString("state"))))
          .forEach(c -> items.add(view(c, p).put("present", new JsonArray(present.apply(c.getString("id")).stream()
              .map(x -> new JsonObject().put("id", x.id()).put("name", x.name()).put("role", x.role().name())).toList()))));
      return new JsonObject().put("items", items).put("next_cursor", (String) null);
    });
  }

  /** An opaque cursor for a position in an index. */
  static String cursor(long offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static long cursorOffset(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor));
      if (s.startsWith("o:")) {
        return Long.parseLong(s.substring(2));
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw ApiException.badRequest("BAD_CURSOR", "That cursor is not one this list gave out.", "cursor");
  }

  Future<JsonObject> visibleCall(Principal p, String callId) {
    return store.get(callId).compose(c -> c.isPresent() && visible(c.get(), p) ? Future.succeededFuture(c.get())
        : Future.failedFuture(ApiException.notFound("There is no call " + callId + ".")));
  }

  private static boolean visible(JsonObject call, Principal p) {
    if (p.isStaff()) {
      return call.getJsonArray("establishments").contains(p.establishment());
    }
    return p.personId() != null && (partyIdsOf(call).contains(p.personId())
        || p.personId().equals(call.getJsonObject("requested_by").getString("id")));
  }

  // ---------------------------------------------------------------- approval, cancelling

  public Future<JsonObject> approve(Principal p, String callId, String reason) {
    requireApprover(p);
    return visibleCall(p, callId).compose(c -> store.change(callId, EnumSet.of(CallState.PENDING_APPROVAL), rec -> {
      JsonArray needed = rec.getJsonArray("approvals_needed");
      if (!needed.contains(p.establishment()) || rec.getJsonObject("approvals").containsKey(p.establishment())) {
        return null;
      }
      Instant now = clock.instant();
      rec.getJsonObject("approvals").put(p.establishment(), new JsonObject().put("by", p.accountId()).put("at", now.toString())
          .put("reason", reason));
      boolean all = needed.stream().allMatch(e -> rec.getJsonObject("approvals").containsKey(String.valueOf(e)));
      if (all) {
        rec.put("state", CallState.SCHEDULED.name());
        rec.getJsonArray("history").add(step(CallState.SCHEDULED, now, p, null));
      }
      return rec;
    }, rec -> List.of(event(p, "call.approve", rec, rec.getString("state")).establishment(p.establishment())
        .detail("reason", reason).build()), pushes::state))
        .compose(written -> written.isEmpty() ? Future.failedFuture(ApiException.conflict("NOT_AWAITING_APPROVAL",
        "This call is not waiting for your establishment's approval.")) : Future.succeededFuture(view(written.get(), p)));
  }

  public Future<JsonObject> reject(Principal p, String callId, String reason) {
    requireApprover(p);
    return visibleCall(p, callId).compose(c -> store.change(callId, EnumSet.of(CallState.PENDING_APPROVAL), rec -> {
      if (!rec.getJsonArray("approvals_needed").contains(p.establishment())) {
        return null;
      }
      rec.put("state", CallState.REJECTED.name()).put("why_staff", reason);
      rec.getJsonArray("history").add(step(CallState.REJECTED, clock.instant(), p, reason));
      return rec;
    }, rec -> everySide(rec, est -> AuditEvent.by(p, "call.reject").establishment(est), "REJECTED", reason),
        rec -> uncount(rec).compose(v -> pushes.state(rec))))
        .compose(written -> written.isEmpty() ? Future.failedFuture(ApiException.conflict("NOT_AWAITING_APPROVAL",
        "This call is not waiting for your establishment's approval.")) : Future.succeededFuture(view(written.get(), p)));
  }

  public Future<JsonObject> cancel(Principal p, String callId, String reason) {
    return visibleCall(p, callId).compose(c -> store.change(callId, CallState.CANCELLABLE, rec -> {
      rec.put("state", CallState.CANCELLED.name());
      rec.getJsonArray("history").add(step(CallState.CANCELLED, clock.instant(), p, reason));
      return rec;
    }, rec -> everySide(rec, est -> AuditEvent.by(p, "call.cancel").establishment(est), "CANCELLED", reason),
        rec -> uncount(rec).compose(v -> endMedia(rec, EndReason.COMPLETED)).compose(v -> pushes.state(rec))))
        .compose(written -> written.isEmpty() ? Future.failedFuture(ApiException.conflict("NOT_CANCELLABLE",
        "This call can no longer be cancelled.")) : Future.succeededFuture(view(written.get(), p)));
  }

  private Future<Void> uncount(JsonObject rec) {
    return usage.recordCall(rec.getString("prisoner_id"), rec.getString("contact_id"), rec.getString("id"), Instant.parse(rec.getString("start")), -1)
        .mapEmpty();
  }

  // ---------------------------------------------------------------- joining

  /** {@code POST /api/v1/calls/{id}/join}: a participant with an account; a fresh decision now. */
  public Future<JsonObject> join(Principal p, String callId) {
    Instant now = clock.instant();
    return visibleCall(p, callId).compose(c -> {
      if (p.isStaff() || !partyIdsOf(c).contains(p.personId())) {
        return Future.failedFuture(ApiException.forbidden("Only the people in a call join it. Security monitors a call instead."));
      }
      return opened(c, now);
    }).compose(c -> {
      JsonObject me = participant(c, p.personId());
      ContactDecisions.As as = p.personId().equals(c.getString("prisoner_id")) ? ContactDecisions.As.PRISONER
          : ContactDecisions.As.PRINCIPAL;
      return admit(c, p, me, as, now, null);
    });
  }

  /** A call that participants may be in now: opened if its time has come, refused if too early or over. */
  private Future<JsonObject> opened(JsonObject c, Instant now) {
    CallState state = CallState.valueOf(c.getString("state"));
    Instant start = Instant.parse(c.getString("start"));
    Instant endBy = Instant.parse(c.getString("end_by"));
    if (state.isFinal()) {
      return Future.failedFuture(new ApiException(409, "CALL_OVER", "This call is over.", null, null,
          new JsonObject().put("state", state.name())));
    }
    if (!now.isBefore(endBy)) {
      return end(c.getString("id"), EndReason.TIME_UP, null, null).compose(x -> Future.failedFuture(
          new ApiException(409, "CALL_OVER", "This call is over.", null, null, null)));
    }
    if (state == CallState.PENDING_APPROVAL || state == CallState.REQUESTED) {
      return Future.failedFuture(ApiException.conflict("CALL_NOT_APPROVED", "This call has not been approved yet."));
    }
    if (state == CallState.SCHEDULED) {
      if (now.isBefore(start.minus(OPENS_EARLY))) {
        return Future.failedFuture(new ApiException(409, "CALL_NOT_OPEN", "This call opens 5 minutes before it starts.",
            null, null, new JsonObject().put("opens_at", start.minus(OPENS_EARLY).toString())));
      }
      return open(c.getString("id"));
    }
    return Future.succeededFuture(c);
  }

  /** SCHEDULED -> OPEN (whoever is first: the sweeper or a participant at the door). */
  Future<JsonObject> open(String callId) {
    return store.change(callId, EnumSet.of(CallState.SCHEDULED), rec -> {
      rec.put("state", CallState.OPEN.name());
      rec.getJsonArray("history").add(step(CallState.OPEN, clock.instant(), null, null));
      return rec;
    }, rec -> List.of(system("call.open", rec, "OPEN")), pushes::state)
        .compose(written -> written.isPresent() ? Future.succeededFuture(written.get()) : store.get(callId).map(Optional::orElseThrow));
  }

  private Future<JsonObject> admit(JsonObject c, Principal p, JsonObject me, ContactDecisions.As as, Instant now, String link) {
    String callId = c.getString("id");
    Instant endBy = Instant.parse(c.getString("end_by"));
    List<String> others = partyIdsOf(c).stream().filter(id -> !id.equals(c.getString("prisoner_id"))).toList();
    ContactDecisions.Ask ask = new ContactDecisions.Ask(Action.JOIN_CALL, c.getString("contact_id"), p, as, now, others,
        Duration.between(now, endBy), null, false, enforceable(strings(c.getJsonArray("establishments"))));
    return decisions.decide(ask).compose(outcome -> {
      Decision d = outcome.decision();
      AuditEvent.Builder ev = event(p, "call.join", c, d.effect().name()).detail("rules", rules(d))
          .detail("participant", me.getString("id"));
      if (link != null) {
        ev.detail("join_link", link);
      }
      if (!d.permitted()) {
        return audit.append(ev.build()).compose(e -> Future.failedFuture(refused(d, "JOIN_REFUSED")));
      }
      JsonObject obligations = obligations(d, c.getJsonObject("obligations", new JsonObject()));
      Instant newEnd = d.endBy().filter(endBy::isAfter).orElse(endBy);
      Future<JsonObject> stored = obligations.equals(c.getJsonObject("obligations")) && newEnd.equals(endBy)
          ? Future.succeededFuture(c)
          : store.change(callId, CallState.RUNNING, rec -> rec.put("obligations", obligations).put("end_by", newEnd.toString()))
              .map(w -> w.orElse(c));
      return stored.compose(rec -> {
        ParticipantRole role = role(me, rec.getJsonObject("obligations"));
        Participant who = new Participant(me.getString("id"), me.getString("name"), role);
        return Future.fromCompletionStage(media.create(spec(rec)))
            .compose(v -> Future.fromCompletionStage(media.admit(callId, who)))
            .compose(admission -> ticket(rec, who, p.accountId(), admission, now))
            .compose(answer -> audit.append(ev.detail("role", role.name()).build()).map(e -> answer));
      });
    });
  }

  private Future<JsonObject> ticket(JsonObject call, Participant who, String holder, Admission admission, Instant now) {
    String ticket = Tokens.random(Tokens.TICKET_PREFIX);
    Instant endBy = Instant.parse(call.getString("end_by"));
    JsonObject stored = new JsonObject().put("call_id", call.getString("id")).put("participant_id", who.id())
        .put("name", who.name()).put("role", who.role().name()).put("holder", holder);
    return store.putTicket(Tokens.sha256(ticket), stored, endBy.plus(Duration.ofMinutes(1)), now).map(v -> {
      JsonObject join = new JsonObject(new LinkedHashMap<>(admission.join())).put("ticket", ticket)
          .put("call_id", call.getString("id")).put("participant_id", who.id()).put("role", who.role().name())
          .put("ends_at", endBy.toString())
          // the kiosk is the recorder of the embedded backend
          .put("record", who.role() == ParticipantRole.PRISONER && call.getJsonObject("obligations", new JsonObject()).getBoolean("record", false));
      return new JsonObject().put("backend", admission.backend()).put("join", join);
    });
  }

  /** The ticket a socket presents to take part in a call's signalling. */
  Future<Optional<JsonObject>> ticket(String ticket) {
    if (ticket == null || !ticket.startsWith(Tokens.TICKET_PREFIX) || ticket.length() > 200) {
      return Future.succeededFuture(Optional.empty());
    }
    return store.ticket(Tokens.sha256(ticket));
  }

  // ---------------------------------------------------------------- children's links

  /** {@code POST /api/v1/calls/{id}/join-links}: the supervising adult (or staff) makes a one-time link for a child. */
  public Future<Answer> createLink(Principal p, String callId, String childId) {
    return visibleCall(p, callId).compose(c -> {
      boolean adultInCall = p.role() == Role.OUTSIDE && partyIdsOf(c).contains(p.personId())
          && !participant(c, p.personId()).getBoolean("child", false);
      if (!p.isStaff() && !adultInCall) {
        return Future.failedFuture(ApiException.forbidden("Only the adult with the child, or staff, can make a join link."));
      }
      if (CallState.valueOf(c.getString("state")).isFinal()) {
        return Future.failedFuture(ApiException.conflict("CALL_OVER", "This call is over."));
      }
      List<JsonObject> children = participants(c).stream().filter(x -> x.getBoolean("child", false)).toList();
      JsonObject child = childId == null ? (children.size() == 1 ? children.get(0) : null)
          : children.stream().filter(x -> x.getString("id").equals(childId)).findFirst().orElse(null);
      if (child == null) {
        return Future.failedFuture(ApiException.unprocessable("NOT_A_CHILD_OF_THIS_CALL",
            childId == null ? "Say which child the link is for." : "That child is not in this call.", "child_id"));
      }
      Instant now = clock.instant();
      String token = Tokens.random("");
      Instant notBefore = Instant.parse(c.getString("start")).minus(OPENS_EARLY);
      Instant notAfter = Instant.parse(c.getString("end_by"));
      JsonObject link = new JsonObject().put("call_id", callId).put("child_id", child.getString("id"))
          .put("created_by", actorId(p)).put("not_before", notBefore.toString()).put("not_after", notAfter.toString())
          .put("device", "");
      String sha = Tokens.sha256(token);
      return store.putLink(sha, link, notAfter, now)
          .compose(v -> audit.append(event(p, "call.join_link.create", c, "OK").detail("link", sha.substring(0, 16))
              .detail("child", child.getString("id")).build()))
          .map(e -> new Answer(201, new JsonObject().put("url", "/join/" + token).put("token", token)
              .put("not_before", notBefore.toString()).put("expires_at", notAfter.toString())
              .put("child", new JsonObject().put("name", child.getString("name")))));
    });
  }

  /** {@code POST /api/v1/join/{token}}: a child's device redeems a link (no account); a fresh decision now. */
  public Future<JsonObject> redeem(String token, String deviceId) {
    Instant now = clock.instant();
    String sha = Tokens.sha256(token);
    // the window is checked before the link is bound to a device: an early try must not use it up
    return store.link(sha).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new ApiException(404, "LINK_NOT_FOUND",
            "This link does not work. Ask the grown-up with you for a new one.", null, null, null));
      }
      JsonObject window = found.get();
      if (now.isBefore(Instant.parse(window.getString("not_before")))) {
        return Future.failedFuture(new ApiException(409, "TOO_EARLY", "It is not time for the call yet.", null, null,
            new JsonObject().put("opens_at", window.getString("not_before"))));
      }
      if (!now.isBefore(Instant.parse(window.getString("not_after")))) {
        return Future.failedFuture(new ApiException(410, "LINK_EXPIRED", "This call is over.", null, null, null));
      }
      return store.redeemLink(sha, deviceId, now);
    }).compose(r -> {
      if (r.outcome() == RedeemLinkScript.Outcome.MISSING) {
        return Future.failedFuture(new ApiException(410, "LINK_EXPIRED", "This call is over.", null, null, null));
      }
      if (r.outcome() == RedeemLinkScript.Outcome.USED) {
        return audit.append(AuditEvent.of("call.join_link.redeem").actor("link:" + sha.substring(0, 16), "CHILD")
                .outcome("REFUSED_OTHER_DEVICE").build())
            .compose(e -> Future.failedFuture(new ApiException(410, "LINK_USED",
                "This link has already been used on another device. Ask the grown-up with you for a new one.", null, null, null)));
      }
      JsonObject link = r.link();
      String childId = link.getString("child_id");
      Principal child = new Principal("link:" + sha.substring(0, 16), Role.OUTSIDE, null, childId, "link:" + sha);
      return store.get(link.getString("call_id")).compose(found -> found.isEmpty()
          ? Future.failedFuture(ApiException.notFound("This call is over."))
          : opened(found.get(), now)).compose(c -> admit(c, child, participant(c, childId), ContactDecisions.As.PRINCIPAL, now,
              sha.substring(0, 16)).map(answer -> answer.put("call", childView(c))));
    });
  }

  private static JsonObject childView(JsonObject c) {
    return new JsonObject().put("id", c.getString("id")).put("state", c.getString("state")).put("ends_at", c.getString("end_by"))
        .put("participants", new JsonArray(participants(c).stream().map(x -> new JsonObject().put("id", x.getString("id"))
            .put("name", x.getString("name"))).toList()));
  }

  // ---------------------------------------------------------------- security

  /**
   * A VIEW_RECORDING decision, now, for security about to play one of the call's recordings (never a
   * privileged call's); a contact that cannot be read cannot allow it (fail closed: null).
   */
  Future<Decision> mayViewRecording(Principal p, JsonObject c) {
    ContactDecisions.Ask ask = new ContactDecisions.Ask(Action.VIEW_RECORDING, c.getString("contact_id"), p,
        ContactDecisions.As.PRINCIPAL, clock.instant(), List.of(), null, null, false, EnumSet.allOf(ObligationType.class));
    return decisions.decide(ask).map(ContactDecisions.Outcome::decision).recover(e -> Future.succeededFuture(null));
  }

  /** Why staff were refused, in words for staff. */
  static String refusalForStaff(Decision d) {
    return d == null ? "The call's contact could not be read, so its recording cannot be played now." : staffText(d);
  }

  static JsonArray rulesOf(Decision d) {
    return d == null ? new JsonArray().add("UNREADABLE") : rules(d);
  }

  /** {@code POST /api/v1/calls/{id}/monitor}: security joins hidden and receive-only (never a privileged call). */
  public Future<JsonObject> monitor(Principal p, String callId, String reason) {
    if (p.role() != Role.SECURITY) {
      throw ApiException.forbidden("Only security staff monitor calls.");
    }
    Instant now = clock.instant();
    return visibleCall(p, callId).compose(c -> {
      if (!CallState.RUNNING.contains(CallState.valueOf(c.getString("state")))) {
        return Future.failedFuture(ApiException.conflict("CALL_NOT_RUNNING", "Only an open or live call can be monitored."));
      }
      ContactDecisions.Ask ask = new ContactDecisions.Ask(Action.MONITOR_CALL, c.getString("contact_id"), p,
          ContactDecisions.As.PRINCIPAL, now, List.of(), null, null, false, enforceable(strings(c.getJsonArray("establishments"))));
      return decisions.decide(ask).compose(outcome -> {
        Decision d = outcome.decision();
        boolean privileged = c.getJsonObject("obligations", new JsonObject()).getBoolean("privileged", false);
        AuditEvent.Builder ev = event(p, "call.monitor", c, privileged ? "DENY" : d.effect().name()).detail("reason", reason)
            .detail("rules", rules(d));
        if (!d.permitted() || privileged) {
          return audit.append(ev.build()).compose(e -> Future.failedFuture(new ApiException(403, "MONITOR_REFUSED",
              privileged ? "This is a privileged call: it is never monitored." : staffText(d), null, null,
              new JsonObject().put("decision", new JsonObject(d.toJson(true))))));
        }
        Participant who = new Participant("st-" + p.accountId(), "Security", ParticipantRole.MONITOR);
        return audit.append(ev.build())
            .compose(e -> Future.fromCompletionStage(media.create(spec(c))))
            .compose(v -> Future.fromCompletionStage(media.addMonitor(callId, who)))
            .compose(a -> ticket(c, who, p.accountId(), a, now));
      });
    });
  }

  /** {@code POST /api/v1/calls/{id}/terminate}: staff of either establishment end a call now, with a reason. */
  public Future<JsonObject> terminate(Principal p, String callId, String reason) {
    requireStaff(p);
    return visibleCall(p, callId).compose(c -> end(callId, EndReason.ENDED_BY_STAFF, p, reason)).compose(ended -> {
      if (ended.isEmpty()) {
        return Future.failedFuture(ApiException.conflict("CALL_NOT_RUNNING", "Only an open or live call can be ended."));
      }
      return Future.succeededFuture(view(ended.get(), p));
    });
  }

  /**
   * Ends a running call for everyone (idempotent: empty when it was not running). Audited with who
   * ({@code by}, null for the system), when and why; every participant is told the safe words.
   */
  Future<Optional<JsonObject>> end(String callId, EndReason why, Principal by, String reason) {
    Instant at = clock.instant();
    return store.change(callId, CallState.RUNNING, rec -> {
      rec.put("state", CallState.ENDED.name()).put("why", why.name()).put("ended_at", at.toString());
      rec.getJsonArray("history").add(step(CallState.ENDED, at, by, why.name()));
      return rec;
    }, rec -> everySide(rec, est -> (by == null ? AuditEvent.of("call.end").actor("system", "SYSTEM")
        : AuditEvent.by(by, "call.end")).establishment(est), why.name(), reason),
        // participants are told before the append: media must stop even if the audit is slow
        rec -> pushes.state(rec).compose(v -> endMedia(rec, why)).compose(v -> retention.ended(rec)));
  }

  /** One entry per establishment of the call, so each side's audit shows it (inter-prison calls). */
  private static List<AuditEvent> everySide(JsonObject rec, java.util.function.Function<String, AuditEvent.Builder> by,
      String outcome, String reason) {
    List<AuditEvent> out = new ArrayList<>();
    for (String est : strings(rec.getJsonArray("establishments"))) {
      AuditEvent.Builder ev = by.apply(est).prisoner(rec.getString("prisoner_id")).contact(rec.getString("contact_id"))
          .outcome(outcome).detail("call_id", rec.getString("id")).detail("establishments", rec.getJsonArray("establishments"));
      if (reason != null) {
        ev.detail("reason", reason);
      }
      out.add(ev.build());
    }
    return out;
  }

  private static AuditEvent system(String action, JsonObject rec, String outcome) {
    return AuditEvent.of(action).actor("system", "SYSTEM").establishment(rec.getJsonArray("establishments").getString(0))
        .prisoner(rec.getString("prisoner_id")).contact(rec.getString("contact_id")).outcome(outcome)
        .detail("call_id", rec.getString("id")).detail("establishments", rec.getJsonArray("establishments")).build();
  }

  private Future<Void> endMedia(JsonObject rec, EndReason why) {
    return Future.fromCompletionStage(media.stopRecording(rec.getString("id")))
        .compose(v -> Future.fromCompletionStage(media.end(rec.getString("id"), why)))
        .recover(err -> {
          // the call is ENDED already; a room the backend could not end (it retried) is its to report
          // (Jitsi: /health/ready), and the end is still audited
          LOG.error("call {} ended but its media could not be ended: {}", rec.getString("id"), err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** OPEN -> LIVE once media flows between the prison side and the others (see {@code CallSignalling}). */
  Future<Optional<JsonObject>> live(String callId) {
    return store.change(callId, EnumSet.of(CallState.OPEN), rec -> {
      rec.put("state", CallState.LIVE.name()).put("media_held", false);
      rec.getJsonArray("history").add(step(CallState.LIVE, clock.instant(), null, null));
      return rec;
    }, rec -> List.of(system("call.live", rec, "LIVE")), pushes::state);
  }

  /**
   * Notes whether a SUPERVISED call's media between the prison side and the child waits for the
   * supervisor (none in yet, or gone), so every screen says so instead of LIVE; audited when it changes.
   */
  Future<Optional<JsonObject>> mediaHeld(String callId, boolean held) {
    return store.change(callId, CallState.RUNNING, rec -> rec.getBoolean("media_held", false) == held ? null
        : rec.put("media_held", held), rec -> List.of(system(held ? "call.media.held" : "call.media.resumed", rec,
            held ? "WAITING_FOR_SUPERVISOR" : "SUPERVISOR_PRESENT")), pushes::state);
  }

  /**
   * Decides again, now, whether a running call may go on (after a restriction or clearance change);
   * ends it with ENDED_BY_POLICY when not. Answers whether it ended.
   */
  Future<Boolean> recheck(JsonObject c) {
    Instant now = clock.instant();
    Instant endBy = Instant.parse(c.getString("end_by"));
    if (!now.isBefore(endBy)) {
      return end(c.getString("id"), EndReason.TIME_UP, null, null).map(Optional::isPresent);
    }
    return goOn(c, now, endBy).compose(outcome -> {
      if (outcome != null && outcome.decision().permitted()) {
        return Future.succeededFuture(false);
      }
      String rules = outcome == null ? "UNREADABLE" : String.join(",", strings(rules(outcome.decision())));
      return end(c.getString("id"), EndReason.ENDED_BY_POLICY, null, "policy: " + rules).map(Optional::isPresent);
    });
  }

  /** A JOIN decision taken now for the whole call, as the system; null when the contact cannot be read. */
  private Future<ContactDecisions.Outcome> goOn(JsonObject c, Instant now, Instant endBy) {
    List<String> others = partyIdsOf(c).stream().filter(id -> !id.equals(c.getString("prisoner_id"))).toList();
    Principal system = new Principal("system", Role.ADMIN, c.getJsonArray("establishments").getString(0), null, null);
    ContactDecisions.Ask ask = new ContactDecisions.Ask(Action.JOIN_CALL, c.getString("contact_id"), system,
        ContactDecisions.As.PRISONER, now, others, Duration.between(now, endBy), null, false,
        enforceable(strings(c.getJsonArray("establishments"))));
    // a contact that no longer exists (or cannot be read) cannot allow the call: fail closed
    return decisions.decide(ask).recover(e -> Future.succeededFuture(null));
  }

  /**
   * Whether prosody may create the room named {@code room} (the call id): only for an OPEN or LIVE call
   * before its END_BY whose JOIN decision, taken now, is still PERMIT; the answer carries END_BY.
   */
  public Future<RoomAuthority.Verdict> mayOpen(String room, Instant now) {
    if (room == null || !room.startsWith("call-") || room.length() > 80) {
      return Future.succeededFuture(RoomAuthority.Verdict.refuse(null, null, "There is no call for this room."));
    }
    return store.get(room).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(RoomAuthority.Verdict.refuse(null, null, "There is no call for this room."));
      }
      JsonObject c = found.get();
      String est = c.getJsonArray("establishments").getString(0);
      CallState state = CallState.valueOf(c.getString("state"));
      Instant endBy = Instant.parse(c.getString("end_by"));
      if (!CallState.RUNNING.contains(state)) {
        return Future.succeededFuture(RoomAuthority.Verdict.refuse(room, est, "The call is " + state.name() + ", not open."));
      }
      if (!now.isBefore(endBy)) {
        return Future.succeededFuture(RoomAuthority.Verdict.refuse(room, est, "The call's time is over."));
      }
      return goOn(c, now, endBy).map(outcome -> {
        if (outcome == null || !outcome.decision().permitted()) {
          return RoomAuthority.Verdict.refuse(room, est, "Policy no longer allows this call.");
        }
        Instant until = outcome.decision().endBy().filter(endBy::isAfter).orElse(endBy);
        return RoomAuthority.Verdict.allow(room, est, until);
      });
    });
  }

  // ---------------------------------------------------------------- helpers

  private Set<ObligationType> enforceable(List<String> establishments) {
    Set<ObligationType> can = EnumSet.allOf(ObligationType.class);
    establishments.forEach(e -> can.retainAll(media.enforceableNow(e)));
    return can;
  }

  ConferenceSpec spec(JsonObject c) {
    JsonObject o = c.getJsonObject("obligations", new JsonObject());
    Set<SupervisorRole> roles = EnumSet.noneOf(SupervisorRole.class);
    o.getJsonArray("supervisors", new JsonArray()).forEach(r -> roles.add(SupervisorRole.valueOf(String.valueOf(r))));
    return new ConferenceSpec(c.getString("id"), Set.copyOf(strings(c.getJsonArray("establishments"))), roles,
        o.getBoolean("record", false), Instant.parse(c.getString("end_by")));
  }

  private static JsonObject obligations(Decision d, JsonObject before) {
    Set<String> supervisors = new LinkedHashSet<>(strings(before.getJsonArray("supervisors", new JsonArray())));
    for (Obligation o : d.obligations()) {
      if (o.type() == ObligationType.SUPERVISOR_PRESENT) {
        o.roles().forEach(r -> supervisors.add(r.name()));
      }
    }
    return new JsonObject().put("record", before.getBoolean("record", false) || d.requires(ObligationType.RECORD))
        .put("monitor", before.getBoolean("monitor", false) || d.requires(ObligationType.MONITOR))
        .put("privileged", before.getBoolean("privileged", false) || d.requires(ObligationType.NO_RECORDING))
        .put("supervisors", new JsonArray(new ArrayList<>(supervisors)));
  }

  private static ParticipantRole role(JsonObject me, JsonObject obligations) {
    if (me.getBoolean("prisoner", false)) {
      return ParticipantRole.PRISONER;
    }
    if (me.getBoolean("child", false)) {
      return ParticipantRole.CHILD;
    }
    String kind = me.getString("kind", "");
    return strings(obligations.getJsonArray("supervisors", new JsonArray())).contains(kind) ? ParticipantRole.SUPERVISOR
        : ParticipantRole.ADULT;
  }

  private static ContactDecisions.As as(Principal p, Parties.PrisonerInfo home, List<Parties.PartyInfo> people) {
    if (p.role() == Role.PRISONER && home.id().equals(p.personId())) {
      return ContactDecisions.As.PRISONER;
    }
    return ContactDecisions.As.PRINCIPAL;
  }

  private Future<List<Parties.PartyInfo>> resolve(List<String> ids) {
    List<Future<Parties.PartyInfo>> found = ids.stream().map(id -> parties.party(id).compose(x -> x.isEmpty()
        ? Future.<Parties.PartyInfo>failedFuture(ApiException.unprocessable("UNKNOWN_PARTICIPANT",
            "Participant " + id + " is not on record.", "participants"))
        : Future.succeededFuture(x.get()))).toList();
    return Future.all(found).map(all -> all.<Parties.PartyInfo>list());
  }

  private static String participantId(Parties.PartyInfo x) {
    return x.isPrisoner() ? x.prisoner().id() : x.id();
  }

  private static List<String> allParties(Parties.PrisonerInfo home, List<String> others) {
    List<String> all = new ArrayList<>(List.of(home.id()));
    others.stream().filter(o -> !all.contains(o)).forEach(all::add);
    return all;
  }

  static List<JsonObject> participants(JsonObject c) {
    return c.getJsonArray("participants").stream().map(JsonObject.class::cast).toList();
  }

  static List<String> partyIdsOf(JsonObject c) {
    return participants(c).stream().map(x -> x.getString("id")).toList();
  }

  static JsonObject participant(JsonObject c, String id) {
    return participants(c).stream().filter(x -> x.getString("id").equals(id)).findFirst()
        .orElseThrow(() -> ApiException.notFound("You are not in this call."));
  }

  private static List<String> strings(JsonArray a) {
    return a.stream().map(String::valueOf).toList();
  }

  private static Instant instant(String s, String field) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException | NullPointerException e) {
      throw ApiException.badRequest("BAD_TIME", "Give " + field + " as an ISO-8601 time, e.g. 2026-12-01T10:00:00Z.", field);
    }
  }

  private static JsonObject step(CallState state, Instant at, Principal by, String why) {
    JsonObject s = new JsonObject().put("state", state.name()).put("at", at.toString())
        .put("by", by == null ? "system" : actorId(by));
    if (why != null) {
      s.put("why", why);
    }
    return s;
  }

  private static String actorId(Principal p) {
    return p.personId() != null ? p.personId() : p.accountId();
  }

  private static JsonArray rules(Decision d) {
    return new JsonArray(d.reasons().stream().map(Reason::rule).distinct().toList());
  }

  private static String staffText(Decision d) {
    return d.reasons().stream().filter(r -> r.effect() == Effect.DENY).map(Reason::staffText).findFirst()
        .orElse("The policy engine refused.");
  }

  private static ApiException refused(Decision d, String code) {
    String text = d.reasons().stream().filter(r -> r.effect() == Effect.DENY).map(Reason::userText).findFirst()
        .orElse("This call cannot go ahead.");
    return new ApiException(403, code, text, null, null, new JsonObject().put("decision", new JsonObject(d.toJson(false))));
  }

  private static ApiException noContact(String contactId) {
    return ApiException.notFound("There is no contact " + contactId + ".");
  }

  private static void requireStaff(Principal p) {
    if (!p.isStaff()) {
      throw ApiException.forbidden("Only staff can do this.");
    }
  }

  private static void requireApprover(Principal p) {
    if (!APPROVERS.contains(p.role())) {
      throw ApiException.forbidden("Only staff approve or reject calls.");
    }
  }

  private static AuditEvent.Builder event(Principal p, String action, Parties.PrisonerInfo home, String contactId, String callId,
      String outcome) {
    return AuditEvent.by(p, action).establishment(home.establishment()).prisoner(home.id()).contact(contactId)
        .outcome(outcome).detail("call_id", callId);
  }

  private static AuditEvent.Builder event(Principal p, String action, JsonObject c, String outcome) {
    return AuditEvent.by(p, action).establishment(c.getJsonArray("establishments").getString(0)).prisoner(c.getString("prisoner_id"))
        .contact(c.getString("contact_id")).outcome(outcome).detail("call_id", c.getString("id"))
        .detail("establishments", c.getJsonArray("establishments"));
  }

  /**
   * Who a SUPERVISED call waits for while no media flows between the prison side and the child
   * because no supervisor is in (their names; "the supervisor" when none of them is named): empty otherwise.
   */
  static List<String> waitingFor(JsonObject c) {
    if (!CallState.RUNNING.contains(CallState.valueOf(c.getString("state"))) || !c.getBoolean("media_held", false)) {
      return List.of();
    }
    List<String> names = supervisorNames(c);
    return names.isEmpty() ? List.of("the supervisor") : names;
  }

  /** The names of the call's participants who may supervise it (empty for a call without supervision). */
  static List<String> supervisorNames(JsonObject c) {
    List<String> kinds = strings(c.getJsonObject("obligations", new JsonObject()).getJsonArray("supervisors", new JsonArray()));
    return participants(c).stream().filter(x -> !x.getBoolean("child", false) && !x.getBoolean("prisoner", false)
        && kinds.contains(x.getString("kind", ""))).map(x -> x.getString("name")).toList();
  }

  /** What a client sees of a call: names, not ids, on screens; staff also see approvals and obligations. */
  static JsonObject view(JsonObject c, Principal viewer) {
    CallState state = CallState.valueOf(c.getString("state"));
    JsonObject v = new JsonObject().put("id", c.getString("id")).put("state", state.name()).put("contact_id", c.getString("contact_id"))
        .put("start", c.getString("start")).put("end", c.getString("end")).put("ends_at", c.getString("end_by"))
        .put("minutes", c.getInteger("minutes"))
        .put("participants", new JsonArray(participants(c).stream().map(x -> {
          JsonObject j = new JsonObject().put("id", x.getString("id")).put("name", x.getString("name")).put("kind", x.getString("kind"));
          if (x.containsKey("prison_number")) {
            j.put("prison_number", x.getString("prison_number"));
          }
          return j;
        }).toList()))
        .put("opens_at", Instant.parse(c.getString("start")).minus(OPENS_EARLY).toString())
        .put("can_join", CallState.RUNNING.contains(state) && viewer.personId() != null
            && partyIdsOf(c).contains(viewer.personId()));
    if (c.containsKey("why")) {
      EndReason why = EndReason.valueOf(c.getString("why"));
      v.put("why", why.name()).put("why_text", why.safeText());
    }
    List<String> waiting = waitingFor(c);
    if (!waiting.isEmpty()) {
      v.put("waiting_for", new JsonArray(waiting)).put("status_text", "Waiting for " + String.join(" or ", waiting));
    }
    if (viewer.isStaff()) {
      v.put("establishments", c.getJsonArray("establishments")).put("approvals_needed", c.getJsonArray("approvals_needed"))
          .put("approvals", c.getJsonObject("approvals")).put("obligations", c.getJsonObject("obligations"))
          .put("history", c.getJsonArray("history"));
      if (c.containsKey("why_staff")) {
        v.put("reason", c.getString("why_staff"));
      }
    }
    return v;
  }
}
