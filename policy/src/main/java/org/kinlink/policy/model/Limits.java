package org.kinlink.policy.model;

/**
 * Usage limits of a contact; a null component means "no limit of this kind".
 * {@code callsPerFortnight} (an addition to the original document) is for fortnightly contact (last 14 days);
 * see docs/domain.md.
 */
public record Limits(Integer callsPerWeek, Integer callsPerFortnight, Integer callMinutes, Integer messagesPerDay) {
    /** No limits at all. */
    public static final Limits NONE = new Limits(null, null, null, null);

    /** Limits without a fortnightly limit (the original document's three). */
    public static Limits of(Integer callsPerWeek, Integer callMinutes, Integer messagesPerDay) {
        return new Limits(callsPerWeek, null, callMinutes, messagesPerDay);
    }

    /** These limits with each field this stage sets replacing ours; unset fields are inherited. */
    public Limits overriddenBy(Limits stage) {
        if (stage == null) {
            return this;
        }
        return new Limits(
                stage.callsPerWeek != null ? stage.callsPerWeek : callsPerWeek,
                stage.callsPerFortnight != null ? stage.callsPerFortnight : callsPerFortnight,
                stage.callMinutes != null ? stage.callMinutes : callMinutes,
                stage.messagesPerDay != null ? stage.messagesPerDay : messagesPerDay);
    }

    /** The lower of each pair of limits (null = unlimited), so the result is never looser than either. */
    public Limits tightest(Limits other) {
        return new Limits(min(callsPerWeek, other.callsPerWeek), min(callsPerFortnight, other.callsPerFortnight),
                min(callMinutes, other.callMinutes), min(messagesPerDay, other.messagesPerDay));
    }

    private static Integer min(Integer a, Integer b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Integer.valueOf(Math.min(a, b));
    }
}
