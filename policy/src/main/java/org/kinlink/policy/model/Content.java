package org.kinlink.policy.model;

import java.util.Objects;

/**
 * A message's content: its text (or a photo's caption) and whether a photo is attached.
 */
public record Content(String text, boolean photo) {
    /** Absent text is empty text. */
    public Content {
        text = Objects.requireNonNullElse(text, "");
    }

    /** A text message. */
    public static Content text(String text) {
        return new Content(text, false);
    }

    /** A photo with an optional caption. */
    public static Content photo(String caption) {
        return new Content(caption, true);
    }
}
