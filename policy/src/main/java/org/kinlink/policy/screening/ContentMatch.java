package org.kinlink.policy.screening;

import java.util.Objects;

/**
 * Where screening found something in a message: UTF-16 offsets {@code [start, end)} into the
 * original text. {@code term} is the configured term for SENSITIVE_TERM / BLOCKED_TERM matches
 * (null otherwise). Staff-only: never show a match to the sender or recipient.
 */
public record ContentMatch(MatchKind kind, int start, int end, String term) {
    /** Checks the offsets. */
    public ContentMatch {
        Objects.requireNonNull(kind, "kind");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad offsets " + start + ".." + end);
        }
    }

    /** The stable rule id of this match. */
    public String rule() {
        return kind.rule();
    }

    /** The matched slice of the text the match was found in. */
    public String excerpt(String text) {
        return text.substring(start, Math.min(end, text.length()));
    }
}
