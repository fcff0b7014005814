package org.kinlink.policy.model;

import java.util.List;
import java.util.Objects;
import org.kinlink.policy.screening.Folding;
import org.kinlink.policy.screening.TermScreen;

/**
 * Content rules of a contact. A final class rather than a record only so that it can carry its
 * precompiled {@link TermScreen}: terms are compiled once per policy document, not per message.
 * Equality, hashing and accessors behave like a record's over the four document fields.
 */
public final class ContentRules {
    /** No review and no terms (photos not reviewed either): the rules of a privileged contact. */
    public static final ContentRules NONE = new ContentRules(false, false, List.of(), List.of());

    /** The default for a non-privileged contact: photos reviewed, nothing else. */
    public static final ContentRules DEFAULT = new ContentRules(false, true, List.of(), List.of());

    private final boolean reviewAll;
    private final boolean reviewPhotos;
    private final List<String> sensitiveTerms;
    private final List<String> blockedTerms;
    private final TermScreen screen;
    private final int[] sensitiveSymbols;
    private final int[] blockedSymbols;

    /** Copies the term lists and compiles them. */
    public ContentRules(boolean reviewAll, boolean reviewPhotos, List<String> sensitiveTerms, List<String> blockedTerms) {
        this.reviewAll = reviewAll;
        this.reviewPhotos = reviewPhotos;
        this.sensitiveTerms = List.copyOf(Objects.requireNonNull(sensitiveTerms, "sensitiveTerms"));
        this.blockedTerms = List.copyOf(Objects.requireNonNull(blockedTerms, "blockedTerms"));
        this.sensitiveSymbols = this.sensitiveTerms.stream().mapToInt(t -> Folding.fold(t).length).toArray();
        this.blockedSymbols = this.blockedTerms.stream().mapToInt(t -> Folding.fold(t).length).toArray();
        this.screen = this.sensitiveTerms.isEmpty() && this.blockedTerms.isEmpty()
                ? TermScreen.EMPTY
                : new TermScreen(this.sensitiveTerms, this.blockedTerms);
    }

    /** Every message is reviewed before delivery. */
    public boolean reviewAll() {
        return reviewAll;
    }

    /** Every photo is reviewed before delivery. */
    public boolean reviewPhotos() {
        return reviewPhotos;
    }

    /** Terms that must not reach the other side unreviewed (e.g. a child's school). */
    public List<String> sensitiveTerms() {
        return sensitiveTerms;
    }

    /** Terms that are never allowed. */
    public List<String> blockedTerms() {
        return blockedTerms;
    }

    /** The precompiled matcher for both term lists. */
    public TermScreen screen() {
        return screen;
    }

    /** How many matchable letters/digits the i-th sensitive term has (validation needs 2 or more). */
    public int sensitiveTermSymbols(int i) {
        return sensitiveSymbols[i];
    }

    /** How many matchable letters/digits the i-th blocked term has (validation needs 2 or more). */
    public int blockedTermSymbols(int i) {
        return blockedSymbols[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentRules c && reviewAll == c.reviewAll && reviewPhotos == c.reviewPhotos
                && sensitiveTerms.equals(c.sensitiveTerms) && blockedTerms.equals(c.blockedTerms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reviewAll, reviewPhotos, sensitiveTerms, blockedTerms);
    }

    @Override
    public String toString() {
        return "ContentRules[reviewAll=" + reviewAll + ", reviewPhotos=" + reviewPhotos + ", sensitiveTerms="
                + sensitiveTerms.size() + " terms, blockedTerms=" + blockedTerms.size() + " terms]";
    }
}
