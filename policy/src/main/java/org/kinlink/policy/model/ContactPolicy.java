package org.kinlink.policy.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The restrictions of one contact (one prisoner + one other party): exactly the policy document of
 * docs/domain.md. Immutable; build it with {@link #builder()} or parse it with
 * {@code PolicyDocuments.parse}. A policy built in code may be invalid: {@code PolicyDocuments.validate}
 * says why, and the engine denies rather than evaluate an invalid policy.
 *
 * @param suspendedUntil null unless suspended until a moment
 * @param supervisor null unless someone must be present (required when oversight is SUPERVISED)
 */
public record ContactPolicy(
        ContactState state,
        Instant suspendedUntil,
        Relationship relationship,
        Set<Channel> channels,
        Oversight oversight,
        Supervisor supervisor,
        List<TimeWindow> windows,
        Limits limits,
        List<StepUpStage> stepUp,
        List<String> neverWith,
        List<CourtOrder> courtOrders,
        ContentRules content) {

    /** Copies collections defensively and fills absent optional parts with their empty forms. */
    public ContactPolicy {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(relationship, "relationship");
        Objects.requireNonNull(oversight, "oversight");
        channels = Sets.copyOf(Channel.class, Objects.requireNonNull(channels, "channels"));
        windows = windows == null ? List.of() : List.copyOf(windows);
        limits = limits == null ? Limits.NONE : limits;
        stepUp = stepUp == null ? List.of() : List.copyOf(stepUp);
        neverWith = neverWith == null ? List.of() : List.copyOf(neverWith);
        courtOrders = courtOrders == null ? List.of() : List.copyOf(courtOrders);
        // Absent content rules default to the safer choice: photos reviewed (privileged contacts are never reviewed).
        content = content != null ? content
                : oversight == Oversight.PRIVILEGED ? ContentRules.NONE : ContentRules.DEFAULT;
    }

    /** A builder starting from an approved, recorded OTHER contact with every channel and no limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Step-by-step construction of a policy, mainly for callers and tests building policies in code. */
    public static final class Builder {
        private ContactState state = ContactState.APPROVED;
        private Instant suspendedUntil;
        private Relationship relationship = Relationship.OTHER;
        private Set<Channel> channels = Set.of(Channel.MESSAGE, Channel.VIDEO, Channel.PHOTO);
        private Oversight oversight = Oversight.RECORDED;
        private Supervisor supervisor;
        private List<TimeWindow> windows = List.of();
        private Limits limits = Limits.NONE;
        private List<StepUpStage> stepUp = List.of();
        private List<String> neverWith = List.of();
        private List<CourtOrder> courtOrders = List.of();
        private ContentRules content;

        private Builder() {
        }

        private Builder(ContactPolicy p) {
            state = p.state;
            suspendedUntil = p.suspendedUntil;
            relationship = p.relationship;
            channels = p.channels;
            oversight = p.oversight;
            supervisor = p.supervisor;
            windows = p.windows;
            limits = p.limits;
            stepUp = p.stepUp;
            neverWith = p.neverWith;
            courtOrders = p.courtOrders;
            content = p.content;
        }

        /** Sets the state. */
        public Builder state(ContactState value) {
            state = value;
            return this;
        }

        /** Sets the moment a suspension ends (null: none). */
        public Builder suspendedUntil(Instant value) {
            suspendedUntil = value;
            return this;
        }

        /** Sets the relationship. */
        public Builder relationship(Relationship value) {
            relationship = value;
            return this;
        }

        /** Sets the allowed channels. */
        public Builder channels(Channel... value) {
            channels = Set.of(value);
            return this;
        }

        /** Sets the allowed channels. */
        public Builder channels(Set<Channel> value) {
            channels = value;
            return this;
        }

        /** Sets the oversight. */
        public Builder oversight(Oversight value) {
            oversight = value;
            return this;
        }

        /** Sets who may supervise. */
        public Builder supervisor(SupervisorRole... anyOf) {
            supervisor = Supervisor.anyOf(anyOf);
            return this;
        }

        /** Sets who may supervise (null: nobody named). */
        public Builder supervisor(Supervisor value) {
            supervisor = value;
            return this;
        }

        /** Sets the time windows. */
        public Builder windows(TimeWindow... value) {
            windows = List.of(value);
            return this;
        }

        /** Sets the time windows. */
        public Builder windows(List<TimeWindow> value) {
            windows = value;
            return this;
        }

        /** Sets the limits. */
        public Builder limits(Limits value) {
            limits = value;
            return this;
        }

        /** Sets the step-up stages. */
        public Builder stepUp(StepUpStage... value) {
            stepUp = List.of(value);
            return this;
        }

        /** Sets the step-up stages. */
        public Builder stepUp(List<StepUpStage> value) {
            stepUp = value;
            return this;
        }

        /** Sets the parties this contact must never share a call with ("person:..." / "prisoner:..."). */
        public Builder neverWith(String... value) {
            neverWith = List.of(value);
            return this;
        }

        /** Sets the parties this contact must never share a call with. */
        public Builder neverWith(List<String> value) {
            neverWith = value;
            return this;
        }

        /** Sets the court orders. */
        public Builder courtOrders(CourtOrder... value) {
            courtOrders = List.of(value);
            return this;
        }

        /** Sets the court orders. */
        public Builder courtOrders(List<CourtOrder> value) {
            courtOrders = value;
            return this;
        }

        /** Sets the content rules. */
        public Builder content(ContentRules value) {
            content = value;
            return this;
        }

        /** Builds the policy. */
        public ContactPolicy build() {
            return new ContactPolicy(state, suspendedUntil, relationship, channels, oversight, supervisor, windows,
                    limits, stepUp, neverWith, courtOrders, content);
        }
    }
}
