package org.kinlink.policy.screening;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A precompiled multi-term matcher (an Aho-Corasick automaton over the {@link Folding} alphabet):
 * one pass over the text, constant work per character, no backtracking whatever the input. A match
 * must start and end on a word boundary of the original text (so "Sam" does not match "same"),
 * except that a trailing plural/possessive "s" is tolerated ("Oakfields").
 * Immutable and thread-safe once built.
 */
public final class TermScreen {
    /** A screen that matches nothing. */
    public static final TermScreen EMPTY = new TermScreen(List.of(), List.of());

    private static final int MAX_MATCHES = 64;

    private final String[] terms;
    private final MatchKind[] kinds;
    private final int[] termLength;
    /** Full transition table: next state = delta[state * ALPHABET + symbol]. */
    private final int[] delta;
    /** Terms ending in state s (including via suffix links) are outTerms[outStart[s] .. outStart[s + 1]). */
    private final int[] outStart;
    private final int[] outTerms;
    private final int ringMask;

    /** Compiles sensitive and blocked terms; terms that fold to nothing are ignored. */
    public TermScreen(List<String> sensitiveTerms, List<String> blockedTerms) {
        List<String> allTerms = new ArrayList<>();
        List<MatchKind> allKinds = new ArrayList<>();
        List<int[]> folded = new ArrayList<>();
        add(sensitiveTerms, MatchKind.SENSITIVE_TERM, allTerms, allKinds, folded);
        add(blockedTerms, MatchKind.BLOCKED_TERM, allTerms, allKinds, folded);
        this.terms = allTerms.toArray(String[]::new);
        this.kinds = allKinds.toArray(MatchKind[]::new);
        this.termLength = folded.stream().mapToInt(f -> f.length).toArray();

        int maxStates = 1 + folded.stream().mapToInt(f -> f.length).sum();
        int[] trie = new int[maxStates * Folding.ALPHABET];
        Arrays.fill(trie, -1);
        List<List<Integer>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        int states = 1;
        for (int t = 0; t < folded.size(); t++) {
            int state = 0;
            for (int symbol : folded.get(t)) {
                int idx = state * Folding.ALPHABET + symbol;
                if (trie[idx] < 0) {
                    trie[idx] = states++;
                    out.add(new ArrayList<>());
                }
                state = trie[idx];
            }
            out.get(state).add(t);
        }
        this.delta = Arrays.copyOf(trie, states * Folding.ALPHABET);
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int s = 0; s < Folding.ALPHABET; s++) {
            if (delta[s] < 0) {
                delta[s] = 0;
            } else {
                fail[delta[s]] = 0;
                queue.add(delta[s]);
            }
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            out.get(state).addAll(out.get(fail[state]));
            for (int s = 0; s < Folding.ALPHABET; s++) {
                int idx = state * Folding.ALPHABET + s;
                int next = delta[idx];
                if (next < 0) {
                    delta[idx] = delta[fail[state] * Folding.ALPHABET + s];
                } else {
                    fail[next] = delta[fail[state] * Folding.ALPHABET + s];
                    queue.add(next);
                }
            }
        }
        this.outStart = new int[states + 1];
        for (int s = 0; s < states; s++) {
            outStart[s + 1] = outStart[s] + out.get(s).size();
        }
        this.outTerms = out.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
        int maxLen = Math.max(1, Arrays.stream(termLength).max().orElse(1));
        this.ringMask = Integer.highestOneBit(maxLen * 2 - 1) * 2 - 1;
    }

    private static void add(List<String> source, MatchKind kind, List<String> terms, List<MatchKind> kinds,
                            List<int[]> folded) {
        for (String term : source) {
            int[] f = Folding.fold(term);
            if (f.length > 0) {
                terms.add(term);
                kinds.add(kind);
                folded.add(f);
            }
        }
    }

    /** True when this screen has no terms. */
    public boolean isEmpty() {
        return terms.length == 0;
    }

    /** Appends every term occurrence in {@code text} to {@code into} (at most 64 per call). */
    public void scan(String text, List<ContentMatch> into) {
        if (terms.length == 0 || text.isEmpty()) {
            return;
        }
        // Ring buffer of the original offsets of the last symbols seen, to map a match back to the text.
        int[] ring = new int[ringMask + 1];
        int state = 0;
        int count = 0;
        int found = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            int symbol = Folding.symbol(text.charAt(i));
            if (symbol < 0) {
                continue;
            }
            ring[count & ringMask] = i;
            count++;
            state = delta[state * Folding.ALPHABET + symbol];
            for (int o = outStart[state], last = outStart[state + 1]; o < last; o++) {
                int h = outTerms[o];
                int start = ring[(count - termLength[h]) & ringMask];
                if (startsWord(text, start) && endsWord(text, i + 1)) {
                    into.add(new ContentMatch(kinds[h], start, i + 1, terms[h]));
                    if (++found >= MAX_MATCHES) {
                        return;
                    }
                }
            }
        }
    }

    private static boolean startsWord(String text, int start) {
        return start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1));
    }

    private static boolean endsWord(String text, int end) {
        if (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end))) {
            return true;
        }
        char next = text.charAt(end);
        // Tolerate a plural or possessive "s": "Oakfields" still names Oakfield.
        return (next == 's' || next == 'S')
                && (end + 1 >= text.length() || !Character.isLetterOrDigit(text.charAt(end + 1)));
    }
}
