package org.kinlink.policy.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.StepUpStage;

/**
 * The channels and limits of a contact on one London date, after applying the step-up stage in
 * force. A stage replaces the base channels and the limits it sets (validation guarantees a stage
 * is never looser than the base; the engine intersects anyway so an unvalidated stage cannot widen
 * anything). Before the first stage of a step-up plan no channel is open: contact starts when the
 * plan says so.
 *
 * @param stage the stage in force, or null when the base policy applies
 * @param beforeFirstStage true when the plan has not started yet
 */
public record EffectivePolicy(Set<Channel> channels, Limits limits, StepUpStage stage, boolean beforeFirstStage) {

    /** What applies on a date. */
    public static EffectivePolicy on(ContactPolicy policy, LocalDate date) {
        List<StepUpStage> stages = policy.stepUp();
        if (stages.isEmpty()) {
            return new EffectivePolicy(policy.channels(), policy.limits(), null, false);
        }
        StepUpStage current = null;
        for (StepUpStage stage : stages) {
            if (!stage.from().isAfter(date) && (current == null || !stage.from().isBefore(current.from()))) {
                current = stage;
            }
        }
        if (current == null) {
            return new EffectivePolicy(Set.of(), policy.limits(), null, true);
        }
        Set<Channel> channels = policy.channels();
        if (current.channels() != null) {
            EnumSet<Channel> both = EnumSet.noneOf(Channel.class);
            both.addAll(current.channels());
            both.retainAll(policy.channels());
            channels = both;
        }
        Limits limits = policy.limits().overriddenBy(current.limits()).tightest(policy.limits());
        return new EffectivePolicy(channels, limits, current, false);
    }

    /** The first stage boundary strictly after {@code from} and before {@code until} (null: open), or null. */
    public static Instant nextStageStart(ContactPolicy policy, Instant from, Instant until) {
        Instant next = null;
        for (StepUpStage stage : policy.stepUp()) {
            Instant start = London.startOfDay(stage.from());
            if (start.isAfter(from) && (until == null || start.isBefore(until))
                    && (next == null || start.isBefore(next))) {
                next = start;
            }
        }
        return next;
    }
}
