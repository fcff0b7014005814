package org.kinlink.policy.screening;

/** What a content screen found, and the rule id it belongs to. */
public enum MatchKind {
    SENSITIVE_TERM("SENSITIVE_TERM"),
    BLOCKED_TERM("BLOCKED_TERM"),
    POSTCODE("LOCATION_DISCLOSURE"),
    STREET_ADDRESS("LOCATION_DISCLOSURE"),
    PHONE_NUMBER("LOCATION_DISCLOSURE"),
    EMAIL_ADDRESS("LOCATION_DISCLOSURE"),
    LINK("LOCATION_DISCLOSURE"),
    /** An outward code standing as a place: "we live in SK9 now". */
    PARTIAL_POSTCODE("LOCATION_DISCLOSURE"),
    /** A social-media handle or a request to talk on a platform: "snap: jo_123", "whatsapp me". */
    SOCIAL_HANDLE("LOCATION_DISCLOSURE");

    private final String rule;

    MatchKind(String rule) {
        this.rule = rule;
    }

    /** The stable rule id this kind of match triggers. */
    public String rule() {
        return rule;
    }
}
