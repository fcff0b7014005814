package org.kinlink.policy.model;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/**
 * One stage of a step-up plan, in force from {@code from} (00:00 Europe/London) until the next stage.
 * A null {@code channels} or {@code limits} keeps the base policy's; limit fields the stage leaves
 * unset are inherited from the base.
 */
public record StepUpStage(LocalDate from, Set<Channel> channels, Limits limits) {
    /** Copies channels defensively. */
    public StepUpStage {
        Objects.requireNonNull(from, "from");
        channels = channels == null ? null : Sets.copyOf(Channel.class, channels);
    }
}
