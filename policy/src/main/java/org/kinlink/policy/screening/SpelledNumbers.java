package org.kinlink.policy.screening;

import java.util.List;

/**
 * Phone numbers written to get past a digit scanner: in words ("oh seven seven double oh nine…"),
 * mixed ("07seven00", "O77OO"), in Welsh ("dim saith saith…"), split by spaces, dots, dashes,
 * underscores or words ("dash", "then"). Number words, "double"/"triple" and tens ("twelve
 * thirty-four") are expanded; a run of at least {@value #MIN_DIGITS} digits is a phone number.
 * A run is broken by anything else, which is what keeps dates ("12/05/2026"), times ("10:30"),
 * prices ("£1,250,000") and scores ("10 out of 10") out. Counting ("one two three … ten") is not a
 * number either.
 */
final class SpelledNumbers {
    static final int MIN_DIGITS = 10;

    private static final int DIGIT = 0;
    private static final int TEENS = 1;
    private static final int TENS = 2;
    private static final int TIMES = 3;
    private static final int ZEROS = 4;

    /** Number words by first letter: word, kind, value. */
    private static final String[][] WORDS = new String[26][];
    private static final int[][] KINDS = new int[26][];
    private static final int[][] VALUES = new int[26][];

    static {
        Object[][] table = {
            {"zero", DIGIT, 0}, {"oh", DIGIT, 0}, {"o", DIGIT, 0}, {"nought", DIGIT, 0}, {"nil", DIGIT, 0},
            {"one", DIGIT, 1}, {"two", DIGIT, 2}, {"three", DIGIT, 3}, {"four", DIGIT, 4}, {"five", DIGIT, 5},
            {"six", DIGIT, 6}, {"seven", DIGIT, 7}, {"eight", DIGIT, 8}, {"nine", DIGIT, 9},
            // Welsh: families at Eastwood Park write in Welsh.
            {"dim", DIGIT, 0}, {"un", DIGIT, 1}, {"dau", DIGIT, 2}, {"dwy", DIGIT, 2}, {"tri", DIGIT, 3},
            {"tair", DIGIT, 3}, {"pedwar", DIGIT, 4}, {"pedair", DIGIT, 4}, {"pump", DIGIT, 5}, {"chwech", DIGIT, 6},
            {"chwe", DIGIT, 6}, {"saith", DIGIT, 7}, {"wyth", DIGIT, 8}, {"naw", DIGIT, 9}, {"deg", TEENS, 10},
            {"ten", TEENS, 10}, {"eleven", TEENS, 11}, {"twelve", TEENS, 12}, {"thirteen", TEENS, 13},
            {"fourteen", TEENS, 14}, {"fifteen", TEENS, 15}, {"sixteen", TEENS, 16}, {"seventeen", TEENS, 17},
            {"eighteen", TEENS, 18}, {"nineteen", TEENS, 19},
            {"twenty", TENS, 2}, {"thirty", TENS, 3}, {"forty", TENS, 4}, {"fourty", TENS, 4}, {"fifty", TENS, 5},
            {"sixty", TENS, 6}, {"seventy", TENS, 7}, {"eighty", TENS, 8}, {"ninety", TENS, 9},
            {"double", TIMES, 2}, {"dbl", TIMES, 2}, {"dwbl", TIMES, 2}, {"triple", TIMES, 3}, {"treble", TIMES, 3},
            {"hundred", ZEROS, 2}, {"thousand", ZEROS, 3},
        };
        for (int letter = 0; letter < 26; letter++) {
            char first = (char) ('a' + letter);
            Object[][] rows = java.util.Arrays.stream(table).filter(r -> ((String) r[0]).charAt(0) == first)
                    .toArray(Object[][]::new);
            WORDS[letter] = java.util.Arrays.stream(rows).map(r -> (String) r[0]).toArray(String[]::new);
            KINDS[letter] = java.util.Arrays.stream(rows).mapToInt(r -> (Integer) r[1]).toArray();
            VALUES[letter] = java.util.Arrays.stream(rows).mapToInt(r -> (Integer) r[2]).toArray();
        }
    }

    /** Words that may stand between the parts of a number ("07700 dash 900 then 123"). */
    private static final Tokens.WordSet FILLERS = Tokens.WordSet.of(
            "and", "then", "dash", "hyphen", "space", "dot", "point", "plus");

    private final Tokens tokens;
    private final char[] buf = new char[64];
    /** The units of the token being parsed: kind << 8 | value. */
    private int[] units = new int[64];

    // State of the current run.
    private int runStart;
    private int runEnd;
    private int digits;
    private int times;
    private int tens;
    private int lastValue;
    private int steps;
    private boolean counting;

    SpelledNumbers(Tokens tokens) {
        this.tokens = tokens;
    }

    /** Adds a PHONE_NUMBER match for every run of {@value #MIN_DIGITS}+ phone-like digits. */
    void scan(List<ContentMatch> into, int limit) {
        Tokens t = tokens;
        reset();
        int fillers = 0;
        for (int i = 0; i < t.count && into.size() < limit; i++) {
            if (t.type[i] == Tokens.PUNCT) {
                char c = t.text.charAt(t.start[i]);
                if (runStart >= 0 && (c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == '_'
                        || c == '~' || c == '\u2013' || c == '\u2014')) {
                    continue;
                }
                if (c == '+' || c == '(') {
                    continue;
                }
                finish(into);
                continue;
            }
            int n = parse(i);
            if (n < 0) {
                if (runStart >= 0 && fillers < 2 && t.in(i, FILLERS)) {
                    fillers++;
                    continue;
                }
                finish(into);
                continue;
            }
            fillers = 0;
            if (runStart < 0) {
                runStart = t.start[i];
            }
            runEnd = t.end[i];
            for (int u = 0; u < n; u++) {
                apply(units[u] >> 8, units[u] & 0xFF);
            }
        }
        finish(into);
    }

    private void reset() {
        runStart = -1;
        runEnd = -1;
        digits = 0;
        times = 0;
        tens = -1;
        lastValue = Integer.MIN_VALUE;
        steps = 0;
        counting = true;
    }

    private void finish(List<ContentMatch> into) {
        flushTens();
        if (runStart >= 0 && digits >= MIN_DIGITS && !(counting && steps >= 4)) {
            into.add(new ContentMatch(MatchKind.PHONE_NUMBER, runStart, runEnd, null));
        }
        reset();
    }

    private void apply(int kind, int value) {
        switch (kind) {
            case DIGIT -> {
                if (tens >= 0 && value > 0) {
                    number(tens * 10 + value, 2);
                    tens = -1;
                } else {
                    flushTens();
                    int repeat = Math.max(1, times);
                    times = 0;
                    for (int r = 0; r < repeat; r++) {
                        number(value, 1);
                    }
                }
            }
            case TEENS -> {
                flushTens();
                times = 0;
                number(value, 2);
            }
            case TENS -> {
                flushTens();
                times = 0;
                tens = value;
            }
            case TIMES -> {
                flushTens();
                times = value;
            }
            default -> { // ZEROS
                flushTens();
                times = 0;
                digits += value;
                counting = false;
            }
        }
    }

    private void flushTens() {
        if (tens >= 0) {
            number(tens * 10, 2);
            tens = -1;
        }
    }

    /** Counts a number's digits and whether the numbers so far just count up or down. */
    private void number(int value, int width) {
        digits += width;
        if (lastValue != Integer.MIN_VALUE) {
            if (Math.abs(value - lastValue) == 1) {
                steps++;
            } else {
                counting = false;
            }
        }
        lastValue = value;
    }

    /**
     * The number units of word {@code t} into {@link #units}, or -1 when the word is not made only of
     * digits and number words. In a word with a digit, 'o' is 0 and 'l'/'i' are 1 ("O77OO 9OOl23").
     */
    private int parse(int t) {
        Tokens tk = tokens;
        int length = tk.end[t] - tk.start[t];
        if (!tk.hasDigit[t] && !startsNumberWord(t)) {
            return -1;
        }
        char[] b = length <= buf.length ? buf : new char[length];
        int n = tk.value(t, b);
        if (units.length < n) {
            units = new int[n];
        }
        boolean mixed = tk.hasDigit[t];
        int u = 0;
        int i = 0;
        while (i < n) {
            char c = b[i];
            if (c >= '0' && c <= '9') {
                units[u++] = DIGIT << 8 | (c - '0');
                i++;
                continue;
            }
            if (c < 'a' || c > 'z') {
                return -1;
            }
            int letter = c - 'a';
            String[] words = WORDS[letter];
            int best = -1;
            for (int w = 0; w < words.length; w++) {
                String word = words[w];
                if ((best < 0 || word.length() > words[best].length()) && matches(b, i, n, word)) {
                    best = w;
                }
            }
            if (best >= 0) {
                units[u++] = KINDS[letter][best] << 8 | VALUES[letter][best];
                i += words[best].length();
            } else if (mixed && (c == 'l' || c == 'i')) {
                units[u++] = DIGIT << 8 | 1;
                i++;
            } else {
                return -1;
            }
        }
        return u;
    }

    /** The one-, two- and three-letter starts of the number words, so most prose words are dismissed at once. */
    private static final boolean[] STARTS = new boolean[27 * 27 * 27];
    /** Number words shorter than three letters ("o", "oh", "un"): a word may go on with another after them. */
    private static final boolean[] SHORT = new boolean[27 * 27 * 27];

    static {
        for (String[] words : WORDS) {
            for (String w : words) {
                for (int n = 1; n <= Math.min(3, w.length()); n++) {
                    STARTS[prefixIndex(w, n)] = true;
                }
                if (w.length() < 3) {
                    SHORT[prefixIndex(w, w.length())] = true;
                }
            }
        }
    }

    private static int prefixIndex(CharSequence letters, int n) {
        int index = 0;
        for (int k = 0; k < 3; k++) {
            index = index * 27 + (k < n ? letters.charAt(k) - 'a' + 1 : 0);
        }
        return index;
    }

    /**
     * True when word {@code t} could start with a number word: its first three letters (spaces of a
     * spaced-out word skipped) begin one. Checked before copying the word, which most words never need.
     */
    private boolean startsNumberWord(int t) {
        String s = tokens.text;
        int end = tokens.end[t];
        int index = 0;
        int n = 0;
        for (int i = tokens.start[t]; i < end && n < 3; i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c >= 128) {
                return c >= '\uFF10' && c <= '\uFF5A';
            }
            char lower = (char) (c | 0x20);
            if (lower < 'a' || lower > 'z') {
                return false;
            }
            index = index * 27 + (lower - 'a' + 1);
            n++;
            if (n < 3 && SHORT[n == 1 ? index * 729 : index * 27]) {
                return true;
            }
        }
        for (int k = n; k < 3; k++) {
            index *= 27;
        }
        return STARTS[index];
    }

    private static boolean matches(char[] b, int i, int n, String word) {
        if (i + word.length() > n) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
