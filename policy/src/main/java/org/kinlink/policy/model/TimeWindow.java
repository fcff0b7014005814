package org.kinlink.policy.model;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Set;

/**
 * A weekly time window in Europe/London wall-clock time; contact is allowed on the listed days
 * from {@code from} (inclusive) to {@code to} (exclusive). Windows never cross midnight.
 */
public record TimeWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
    /** Copies the days defensively. */
    public TimeWindow {
        days = Sets.copyOf(DayOfWeek.class, Objects.requireNonNull(days, "days"));
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
