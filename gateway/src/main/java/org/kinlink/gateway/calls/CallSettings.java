package org.kinlink.gateway.calls;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * One establishment's rules for calls, over and above each contact's policy: the hours calls may
 * happen in (Europe/London), how many calls may run at once (rooms, kiosks, staff to watch),
 * whether staff approve every booking, and how long recordings are kept after the call ends
 * ({@code recording_retention_days}; the setting is called {@code recording-retention} in the docs).
 */
public record CallSettings(LocalTime opens, LocalTime closes, int capacity, boolean approvalRequired, Duration recordingRetention) {
  public static final ZoneId LONDON = ZoneId.of("Europe/London");
  public static final Duration DEFAULT_RECORDING_RETENTION = Duration.ofDays(90);
  public static final CallSettings DEFAULTS = new CallSettings(LocalTime.of(8, 0), LocalTime.of(20, 0), 4, false);

  public CallSettings(LocalTime opens, LocalTime closes, int capacity, boolean approvalRequired) {
    this(opens, closes, capacity, approvalRequired, DEFAULT_RECORDING_RETENTION);
  }

  /** The same settings with recordings kept {@code days} days after a call ends. */
  public CallSettings withRecordingRetentionDays(int days) {
    return new CallSettings(opens, closes, capacity, approvalRequired, Duration.ofDays(days));
  }

  public CallSettings {
    if (recordingRetention.isNegative() || recordingRetention.isZero()) {
      throw new IllegalArgumentException("recordings must be kept at least a day");
    }
    if (!closes.isAfter(opens)) {
      throw new IllegalArgumentException("call hours must close after they open");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
  }

  /** True when [start, end) lies inside one day's call hours. */
  public boolean within(Instant start, Instant end) {
    ZonedDateTime s = start.atZone(LONDON);
    ZonedDateTime e = end.atZone(LONDON);
    if (!s.toLocalDate().equals(e.minusNanos(1).toLocalDate())) {
      return false;
    }
    return !s.toLocalTime().isBefore(opens) && !e.toLocalTime().isAfter(closes) && e.toLocalDate().equals(s.toLocalDate());
  }

  static CallSettings fromHash(Map<String, String> h) {
    if (h == null || h.isEmpty()) {
      return DEFAULTS;
    }
    return new CallSettings(LocalTime.parse(h.getOrDefault("opens", DEFAULTS.opens.toString())),
        LocalTime.parse(h.getOrDefault("closes", DEFAULTS.closes.toString())),
        Integer.parseInt(h.getOrDefault("capacity", Integer.toString(DEFAULTS.capacity))),
        Boolean.parseBoolean(h.getOrDefault("approval_required", Boolean.toString(DEFAULTS.approvalRequired))),
        Duration.ofDays(Long.parseLong(h.getOrDefault("recording_retention_days", Long.toString(DEFAULT_RECORDING_RETENTION.toDays())))));
  }

  Map<String, String> toHash() {
    Map<String, String> h = new HashMap<>();
    h.put("opens", opens.toString());
    h.put("closes", closes.toString());
    h.put("capacity", Integer.toString(capacity));
    h.put("approval_required", Boolean.toString(approvalRequired));
    h.put("recording_retention_days", Long.toString(recordingRetention.toDays()));
    return h;
  }
}
