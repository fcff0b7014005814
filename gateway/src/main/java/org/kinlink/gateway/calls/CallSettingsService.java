package org.kinlink.gateway.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.settings.AuditedSettings;

/**
 * An establishment's admin reads and sets its {@link CallSettings}; security reads them. They live in
 * the establishment's settings hash, which every booking on every node reads afresh (no node keeps a
 * copy), so a change applies to the next booking anywhere. A change commits together with its audit
 * entry ({@link AuditedSettings}); a PUT of the settings as they are changes and records nothing.
 */
public final class CallSettingsService {
  public static final int MIN_CAPACITY = 1;
  public static final int MAX_CAPACITY = 500;
  public static final int MIN_RETENTION_DAYS = 7;
  public static final int MAX_RETENTION_DAYS = 3650;
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private final CallStore store;
  private final AuditedSettings settingsAudit;

  CallSettingsService(CallStore store, AuditedSettings settingsAudit) {
    this.store = store;
    this.settingsAudit = settingsAudit;
  }

  /** {@code GET /establishments/{id}/call-settings}: the establishment's admin or security. */
  public Future<JsonObject> get(Principal p, String establishment) {
    if (p.role() != Role.ADMIN && p.role() != Role.SECURITY) {
      return Future.failedFuture(DomainException.forbidden("Only administrators and security see call settings."));
    }
    p.requireEstablishment(establishment);
    return store.settings(establishment).map(CallSettingsService::json);
  }

  /** {@code PUT /establishments/{id}/call-settings}: the establishment's admin replaces all of them; audited. */
  public Future<JsonObject> put(Principal p, String establishment, JsonObject body) {
    if (p.role() != Role.ADMIN) {
      return Future.failedFuture(DomainException.forbidden("Only administrators change call settings."));
    }
    p.requireEstablishment(establishment);
    CallSettings next;
    try {
      next = parse(body);
    } catch (DomainException e) {
      return Future.failedFuture(e);
    }
    // the write script compares what is stored with what was read, so "from" is what this change replaced
    return settingsAudit.change(target(establishment), read -> {
      CallSettings before = CallSettings.fromHash(read);
      return before.equals(next) ? Optional.empty() : Optional.of(new AuditedSettings.Change(next.toHash(),
          AuditEvent.by(p, "calls.settings.change").establishment(establishment).outcome("OK")
              .detail("from", json(before)).detail("to", json(next)).build()));
    }).map(outcome -> json(next));
  }

  /** The establishment's settings hash (every field a PUT replaces) and its outbox beside it. */
  private static AuditedSettings.Target target(String establishment) {
    return new AuditedSettings.Target(Keys.callSettings(establishment), Keys.callSettingsOutbox(establishment),
        CallSettings.DEFAULTS.toHash().keySet().stream().sorted().toList());
  }

  static JsonObject json(CallSettings s) {
    return new JsonObject()
        .put("call_hours", new JsonObject().put("opens", s.opens().format(HH_MM)).put("closes", s.closes().format(HH_MM)))
        .put("capacity", s.capacity()).put("approval_required", s.approvalRequired())
        .put("recording_retention_days", s.recordingRetention().toDays());
  }

  /** The settings a body asks for, or the first thing wrong with it (naming its field). */
  static CallSettings parse(JsonObject body) {
    JsonObject hours = body == null ? null : value(body, "call_hours", JsonObject.class, "an object {opens, closes}", "call_hours");
    LocalTime opens = time(hours, "opens");
    LocalTime closes = time(hours, "closes");
    if (!opens.isBefore(closes)) {
      throw DomainException.rejected("INVALID_CALL_HOURS", "Call hours must close after they open (both UK time, HH:MM).",
          "call_hours.closes");
    }
    int capacity = number(body, "capacity");
    if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
      throw DomainException.rejected("INVALID_CAPACITY", "Between " + MIN_CAPACITY + " and " + MAX_CAPACITY
          + " calls can run at once. Give a whole number in that range.", "capacity");
    }
    Boolean approval = value(body, "approval_required", Boolean.class, "true or false", "approval_required");
    int days = number(body, "recording_retention_days");
    if (days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
      throw DomainException.rejected("INVALID_RETENTION", "Recordings can be kept from " + MIN_RETENTION_DAYS + " to "
          + MAX_RETENTION_DAYS + " days after the call. Give a whole number of days in that range.", "recording_retention_days");
    }
    return new CallSettings(opens, closes, capacity, approval).withRecordingRetentionDays(days);
  }

  private static LocalTime time(JsonObject hours, String name) {
    String field = "call_hours." + name;
    String s = value(hours, name, String.class, "a time HH:MM (UK time)", field);
    try {
      return LocalTime.parse(s, HH_MM);
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("INVALID_TIME", "Give the time as HH:MM, UK time (for example 08:00).", field);
    }
  }

  private static int number(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (!(v instanceof Integer || v instanceof Long)) {
      throw DomainException.invalid("INVALID_NUMBER", "Give " + name.replace('_', ' ') + " as a whole number.", name);
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ((Number) v).longValue()));
  }

  private static <T> T value(JsonObject o, String name, Class<T> type, String what, String field) {
    Object v = o == null ? null : o.getValue(name);
    if (!type.isInstance(v)) {
      throw DomainException.invalid(v == null ? "REQUIRED" : "INVALID_VALUE", "Give " + name.replace('_', ' ') + " as " + what + ".",
          field);
    }
    return type.cast(v);
  }
}
