package org.kinlink.policy.rules;

import java.time.Instant;
import java.time.LocalDate;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Obligation;
import org.kinlink.policy.model.StepUpStage;

/**
 * CHANNEL_NOT_ALLOWED: the channel is not open for this contact today, taking the step-up stage in
 * force into account (DENY). A call that would run into a later stage without video must end when
 * that stage starts (END_BY).
 */
public final class ChannelNotAllowedRule implements Rule {
    /** The stable id. */
    public static final String ID = "CHANNEL_NOT_ALLOWED";
    static final String USER_TEXT = "This kind of contact isn't available with this person.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(Evaluation facts) {
        return facts.action().isContact();
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        if (!facts.action().isContact()) {
            return;
        }
        for (Evaluation.ContactFacts c : facts.contacts()) {
            EffectivePolicy effective = c.effective();
            String pair = c.contact().prisonerId() + " - " + c.contact().partyId();
            for (Channel channel : facts.channels()) {
                if (!effective.channels().contains(channel)) {
                    String why = effective.beforeFirstStage()
                            ? "the step-up plan has not started yet (first stage " + firstStage(c.contact().policy()) + ")"
                            : effective.stage() != null
                            ? "the step-up stage from " + effective.stage().from() + " allows only " + effective.channels()
                            : "the policy allows only " + effective.channels();
                    out.deny(ID, channel + " is not allowed for " + pair + ": " + why + ".", USER_TEXT,
                            PublicCodes.CHANNEL_NOT_ALLOWED);
                }
            }
            if (facts.action().isCall() && effective.channels().contains(Channel.VIDEO)) {
                endWhereVideoStops(facts, c, out);
            }
        }
    }

    private static void endWhereVideoStops(Evaluation facts, Evaluation.ContactFacts c, Findings out) {
        ContactPolicy policy = c.contact().policy();
        Instant boundary = EffectivePolicy.nextStageStart(policy, facts.from(), facts.end());
        while (boundary != null) {
            EffectivePolicy next = EffectivePolicy.on(policy, London.date(boundary));
            if (!next.channels().contains(Channel.VIDEO)) {
                out.permit(ID, "The step-up stage from " + London.date(boundary) + " has no video for "
                        + c.contact().prisonerId() + " - " + c.contact().partyId() + "; the call must end before then.",
                        EndByTexts.user(boundary), PublicCodes.CALL_ENDS, Obligation.endBy(boundary));
                return;
            }
            boundary = EffectivePolicy.nextStageStart(policy, boundary, facts.end());
        }
    }

    private static LocalDate firstStage(ContactPolicy policy) {
        return policy.stepUp().stream().map(StepUpStage::from).min(LocalDate::compareTo).orElse(null);
    }
}
