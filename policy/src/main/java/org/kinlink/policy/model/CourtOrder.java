package org.kinlink.policy.model;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A court order affecting the contact. In force from the start of {@code from} (null: already in
 * force) to the end of {@code until}, both Europe/London dates. {@code from} (an addition to the
 * original document) is for orders that take effect on a later date; see docs/domain.md.
 */
public record CourtOrder(String kind, OrderEffect effect, LocalDate from, LocalDate until, String ref) {
    /** Checks required components. */
    public CourtOrder {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(ref, "ref");
    }
}
