package org.kinlink.policy.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The call a BOOK_CALL / JOIN_CALL is about.
 *
 * @param start when the call starts (for a booking, the booked start; for a join, when it began)
 * @param duration how long it is booked for; null when open-ended (the END_BY obligation then bounds it)
 */
public record CallSlot(Instant start, Duration duration) {
    /** Checks the slot. */
    public CallSlot {
        Objects.requireNonNull(start, "start");
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("call duration must be positive");
        }
    }

    /** The booked end, or null when open-ended. */
    public Instant end() {
        return duration == null ? null : start.plus(duration);
    }
}
