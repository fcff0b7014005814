package org.kinlink.policy.model;

/**
 * What a contact has already used, counted by the caller, NOT including the request being decided.
 *
 * @param callsThisWeek calls held or booked this calendar week (Monday-Sunday, Europe/London)
 * @param callsLast14Days calls held or booked in the 14 days before the call (for calls_per_fortnight)
 * @param messagesToday messages sent today (Europe/London) in this conversation by the sender
 */
public record Usage(int callsThisWeek, int callsLast14Days, int messagesToday) {
    /** Nothing used yet. */
    public static final Usage NONE = new Usage(0, 0, 0);

    /** Rejects negative counts. */
    public Usage {
        if (callsThisWeek < 0 || callsLast14Days < 0 || messagesToday < 0) {
            throw new IllegalArgumentException("usage counts cannot be negative");
        }
    }
}
