package org.kinlink.policy.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The catalogue of rules, in docs/domain.md's table order (plus the additions), and ids the engine itself uses. */
public final class Rules {
    /** A contact's policy failed validation: the engine denies rather than evaluate it. */
    public static final String INVALID_POLICY = "INVALID_POLICY";
    /** An obligation the caller cannot enforce right now turned the decision into DENY. */
    public static final String OBLIGATION_UNAVAILABLE = "OBLIGATION_UNAVAILABLE";

    /**
     * The engine failed before any rule could run (facts it could not derive): DENY, reported in the
     * decision's errors. Not in {@link #IDS}: no valid request reaches it; a rule that fails is reported
     * under its own id.
     */
    public static final String ENGINE_ERROR = "ENGINE_ERROR";

    /** Every rule id in display order: denials read best in the order of the domain's table. */
    public static final List<String> IDS = List.of(
            INVALID_POLICY,
            StaffOnlyRule.ID,
            ContactNotApprovedRule.ID,
            CourtOrderRule.ID,
            ChildContactClearanceRule.ID,
            ChannelNotAllowedRule.ID,
            OutsideWindowRule.ID,
            LimitReachedRule.ID,
            NeverTogetherRule.ID,
            SupervisorRequiredRule.ID,
            OversightRule.ID,
            PrivilegedRule.ID,
            SensitiveTermRule.ID,
            LocationDisclosureRule.ID,
            BlockedTermRule.ID,
            PhotoReviewRule.ID,
            ReviewAllRule.ID,
            OBLIGATION_UNAVAILABLE);

    private Rules() {
    }

    /** A fresh list of the standard rules. */
    public static List<Rule> standard() {
        return List.of(
                new StaffOnlyRule(),
                new ContactNotApprovedRule(),
                new CourtOrderRule(),
                new ChildContactClearanceRule(),
                new ChannelNotAllowedRule(),
                new OutsideWindowRule(),
                new LimitReachedRule(),
                new NeverTogetherRule(),
                new SupervisorRequiredRule(),
                new OversightRule(),
                new PrivilegedRule(),
                new SensitiveTermRule(),
                new LocationDisclosureRule(),
                new BlockedTermRule(),
                new PhotoReviewRule(),
                new ReviewAllRule());
    }

    private static final Map<String, Integer> POSITIONS = positions();

    private static Map<String, Integer> positions() {
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < IDS.size(); i++) {
            map.put(IDS.get(i), i);
        }
        return Map.copyOf(map);
    }

    /** The display position of a rule id (unknown ids last). */
    public static int order(String id) {
        return POSITIONS.getOrDefault(id, IDS.size());
    }
}
