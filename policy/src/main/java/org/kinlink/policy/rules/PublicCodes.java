package org.kinlink.policy.rules;

/**
 * User-safe codes shown instead of rule ids outside staff views: some rule ids name things a
 * prisoner, child or carer must not learn (COURT_ORDER, CHILD_CONTACT_CLEARANCE, SENSITIVE_TERM),
 * so those share neutral codes with harmless rules.
 */
public final class PublicCodes {
    /** Contact is not possible (covers approval, court orders, clearance, invalid policy). */
    public static final String CONTACT_UNAVAILABLE = "CONTACT_UNAVAILABLE";
    /** The channel is not open for this contact. */
    public static final String CHANNEL_NOT_ALLOWED = "CHANNEL_NOT_ALLOWED";
    /** Outside the allowed times. */
    public static final String OUTSIDE_WINDOW = "OUTSIDE_WINDOW";
    /** A usage limit is reached. */
    public static final String LIMIT_REACHED = "LIMIT_REACHED";
    /** The call must end by a time. */
    public static final String CALL_ENDS = "CALL_ENDS";
    /** Not everyone may be in this call together. */
    public static final String PARTICIPANTS_NOT_ALLOWED = "PARTICIPANTS_NOT_ALLOWED";
    /** A supervisor must be present. */
    public static final String SUPERVISOR_REQUIRED = "SUPERVISOR_REQUIRED";
    /** The call is recorded and/or monitored. */
    public static final String OVERSIGHT = "OVERSIGHT";
    /** Confidential legal contact. */
    public static final String PRIVILEGED = "PRIVILEGED";
    /** The message is checked before delivery (covers sensitive terms, locations, review-all, clearance). */
    public static final String CONTENT_CHECK = "CONTENT_CHECK";
    /** The photo is checked before delivery. */
    public static final String PHOTO_CHECK = "PHOTO_CHECK";
    /** The message holds words that are not allowed. */
    public static final String CONTENT_NOT_ALLOWED = "CONTENT_NOT_ALLOWED";
    /** The asker may not do this. */
    public static final String NOT_PERMITTED = "NOT_PERMITTED";
    /** Something needed (recorder, monitor, review queue) is unavailable. */
    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";

    private PublicCodes() {
    }
}
