package org.kinlink.policy.screening;

/** What a content screen found, and the rule id it belongs to. */
public enum MatchKind {
    SENSITIVE_TERM("SENSITIVE_TERM"),
    BLOCKED_TERM("BLOCKED_TERM"),
    POSTCODE("LOCATION_DISCLOSURE"),
    STREET_ADDRESS("LOCATION_DISCLOSURE"),
    PHONE_NUMBER("LOCATION_DISCLOSURE"),
    EMAIL_ADDRESS("LOCATION_DISCLOSURE"),
    LINK("LOCATION_DISCLOSURE");

    private final String rule;

    MatchKind(String rule) {
        this.rule = rule;
    }

    /** The stable rule id this kind of match triggers. */
    public String rule() {
        return rule;
    }
}
