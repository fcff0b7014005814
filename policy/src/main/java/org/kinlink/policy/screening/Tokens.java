package org.kinlink.policy.screening;

import java.util.Arrays;
import java.util.Collection;

/**
 * The words and punctuation of a message, as spans of the original text, for the detectors that
 * look at phrases rather than characters ("jo at gmail dot com", "snap: jo_123", "near M20").
 * A word is a run of letters and digits (apostrophes inside it kept: "o'clock" is one word). Single
 * characters separated by single spaces ("j o @ g m a i l", "0 7 7 0 0") are merged into one word,
 * because spacing letters out is the first thing a sender tries. Built in one pass; the detectors
 * then look a few tokens either side, so the whole scan stays linear.
 */
final class Tokens {
    static final byte WORD = 0;
    static final byte PUNCT = 1;

    final String text;
    int count;
    int[] start;
    int[] end;
    byte[] type;
    /** Whitespace between the previous token and this one. */
    boolean[] gapBefore;
    /** Up to 12 ASCII letters of a word packed case-insensitively (see {@link #pack}), -1 otherwise. */
    long[] key;
    /** True when the word holds an ASCII digit. */
    boolean[] hasDigit;

    Tokens(String text) {
        this.text = text;
        int capacity = Math.max(16, Math.min(text.length() / 6 + 1, 1024));
        start = new int[capacity];
        end = new int[capacity];
        type = new byte[capacity];
        gapBefore = new boolean[capacity];
        key = new long[capacity];
        hasDigit = new boolean[capacity];
        tokenize();
    }

    private void tokenize() {
        String s = text;
        int length = s.length();
        int i = 0;
        boolean gap = false;
        while (i < length) {
            char c = s.charAt(i);
            if (c <= ' ' ? c == ' ' || c == '\n' || c == '\t' || c == '\r' || Character.isWhitespace(c)
                    : c >= 128 && (Character.isWhitespace(c) || Character.isSurrogate(c) || c == '\u200B'
                    || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF' || c == '\u00A0')) {
                gap = true;
                i++;
                continue;
            }
            int from = i;
            if (isWordChar(c)) {
                // One pass: the word's end, whether it has a digit, and its packed letters.
                long k = 0;
                int letters = 0;
                boolean digit = false;
                while (true) {
                    if (c < 128) {
                        char lower = (char) (c | 0x20);
                        if (lower >= 'a' && lower <= 'z') {
                            k = ++letters > 12 ? -1 : k < 0 ? -1 : (k << 5) | (lower - 'a' + 1);
                        } else {
                            digit |= isAsciiDigit(c);
                            k = -1;
                        }
                    } else {
                        k = -1;
                    }
                    i++;
                    if (i >= length) {
                        break;
                    }
                    c = s.charAt(i);
                    if (!isWordChar(c)) {
                        if ((c == '\'' || c == '\u2019') && i + 1 < length && isWordChar(s.charAt(i + 1))) {
                            k = -1;
                            i++;
                            c = s.charAt(i);
                            continue;
                        }
                        break;
                    }
                }
                addWord(from, i, gap, k, digit);
            } else {
                i++;
                add(PUNCT, from, i, gap, -1, false);
            }
            gap = false;
        }
    }

    /** Adds a word, merging it into the previous word when both are single characters one space apart. */
    private void addWord(int from, int to, boolean gap, long packed, boolean digit) {
        if (to - from == 1 && gap && count > 0 && type[count - 1] == WORD && from - end[count - 1] == 1
                && text.charAt(from - 1) == ' ' && lastIsSpacedCharacters()) {
            end[count - 1] = to;
            hasDigit[count - 1] |= digit;
            key[count - 1] = pack(start[count - 1], to);
            return;
        }
        add(WORD, from, to, gap, packed, digit);
    }

    /** The last word is one character, or characters one space apart ("j o"). */
    private boolean lastIsSpacedCharacters() {
        int s = start[count - 1];
        int e = end[count - 1];
        for (int k = s + 1; k < e; k += 2) {
            if (text.charAt(k) != ' ') {
                return false;
            }
        }
        return (e - s) % 2 == 1;
    }

    private void add(byte kind, int from, int to, boolean gap, long packed, boolean digit) {
        if (count == start.length) {
            int n = count * 2;
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            type = Arrays.copyOf(type, n);
            gapBefore = Arrays.copyOf(gapBefore, n);
            key = Arrays.copyOf(key, n);
            hasDigit = Arrays.copyOf(hasDigit, n);
        }
        start[count] = from;
        end[count] = to;
        type[count] = kind;
        gapBefore[count] = gap;
        key[count] = packed;
        hasDigit[count] = digit;
        count++;
    }

    /** Packs the ASCII letters of {@code [from, to)} (spaces skipped), or -1 when there are other characters or more than 12. */
    private long pack(int from, int to) {
        long k = 0;
        int letters = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == ' ') {
                continue;
            }
            char lower = (char) (c | 0x20);
            if (lower < 'a' || lower > 'z' || !Character.isLetter(c) || ++letters > 12) {
                return -1;
            }
            k = (k << 5) | (lower - 'a' + 1);
        }
        return letters == 0 ? -1 : k;
    }

    /** Packs a lower-case ASCII word as {@link #pack} does. */
    static long pack(String word) {
        long k = 0;
        for (int i = 0; i < word.length(); i++) {
            k = (k << 5) | (word.charAt(i) - 'a' + 1);
        }
        return k;
    }

    boolean isWord(int t) {
        return t >= 0 && t < count && type[t] == WORD;
    }

    boolean isPunct(int t, char c) {
        return t >= 0 && t < count && type[t] == PUNCT && text.charAt(start[t]) == c;
    }

    boolean is(int t, long packedWord) {
        return isWord(t) && key[t] == packedWord;
    }

    boolean in(int t, WordSet set) {
        return isWord(t) && key[t] >= 0 && set.contains(key[t]);
    }

    /** Letters and digits of token {@code t}, lower-cased ASCII (fullwidth folded), into {@code buf}; returns how many. */
    int value(int t, char[] buf) {
        int n = 0;
        for (int i = start[t]; i < end[t] && n < buf.length; i++) {
            char c = text.charAt(i);
            if (c >= '\uFF10' && c <= '\uFF5A') {
                c = (char) (c - 0xFEE0);
            }
            if (c < 128 && Character.isLetterOrDigit(c)) {
                buf[n++] = (char) (c | (Character.isLetter(c) ? 0x20 : 0));
            } else if (c != ' ' && c != '\'' && c != '\u2019') {
                buf[n++] = '?';
            }
        }
        return n;
    }

    int alnumLength(int t) {
        int n = 0;
        for (int i = start[t]; i < end[t]; i++) {
            n += text.charAt(i) == ' ' ? 0 : 1;
        }
        return n;
    }

    static boolean isWordChar(char c) {
        if (c < 128) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
        }
        return Character.isLetterOrDigit(c);
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A set of short lower-case words, looked up by their packed form without allocating. */
    static final class WordSet {
        private final long[] keys;

        WordSet(Collection<String> words) {
            this.keys = words.stream().mapToLong(Tokens::pack).sorted().distinct().toArray();
        }

        static WordSet of(String... words) {
            return new WordSet(Arrays.asList(words));
        }

        boolean contains(long key) {
            return Arrays.binarySearch(keys, key) >= 0;
        }
    }
}
