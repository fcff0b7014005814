package org.kinlink.policy.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Something the caller must enforce for the decision to stand.
 *
 * @param at the deadline for END_BY (null otherwise)
 * @param roles for SUPERVISOR_PRESENT, someone of any one of these roles must be present (empty otherwise)
 */
public record Obligation(ObligationType type, Instant at, Set<SupervisorRole> roles) {
    private static final Obligation RECORD = new Obligation(ObligationType.RECORD, null, Set.of());
    private static final Obligation MONITOR = new Obligation(ObligationType.MONITOR, null, Set.of());
    private static final Obligation NO_RECORDING = new Obligation(ObligationType.NO_RECORDING, null, Set.of());
    private static final Obligation REVIEW = new Obligation(ObligationType.REVIEW_BEFORE_DELIVERY, null, Set.of());

    /** Checks that each type carries exactly what it needs. */
    public Obligation {
        Objects.requireNonNull(type, "type");
        roles = Sets.copyOf(SupervisorRole.class, roles == null ? Set.of() : roles);
        if ((type == ObligationType.END_BY) != (at != null)) {
            throw new IllegalArgumentException("END_BY, and only END_BY, carries a time");
        }
        if ((type == ObligationType.SUPERVISOR_PRESENT) != !roles.isEmpty()) {
            throw new IllegalArgumentException("SUPERVISOR_PRESENT, and only it, carries roles");
        }
    }

    /** The call must be recorded. */
    public static Obligation recordCall() {
        return RECORD;
    }

    /** The call must be open to live monitoring by security. */
    public static Obligation monitor() {
        return MONITOR;
    }

    /** Nothing may be recorded or monitored (privileged). */
    public static Obligation noRecording() {
        return NO_RECORDING;
    }

    /** A person must review the message or photo before it is delivered. */
    public static Obligation reviewBeforeDelivery() {
        return REVIEW;
    }

    /** Someone of one of these roles must be present for the whole call. */
    public static Obligation supervisorPresent(Set<SupervisorRole> anyOf) {
        return new Obligation(ObligationType.SUPERVISOR_PRESENT, null, anyOf);
    }

    /** The call must end by this moment. */
    public static Obligation endBy(Instant at) {
        return new Obligation(ObligationType.END_BY, Objects.requireNonNull(at, "at"), Set.of());
    }

    /**
     * True when enforcing this obligation also satisfies {@code other}: the same obligation, an
     * earlier-or-equal END_BY, or a SUPERVISOR_PRESENT whose roles are a subset of the other's.
     */
    public boolean implies(Obligation other) {
        if (type != other.type) {
            return false;
        }
        return switch (type) {
            case END_BY -> !at.isAfter(other.at);
            case SUPERVISOR_PRESENT -> other.roles.containsAll(roles);
            default -> true;
        };
    }
}
