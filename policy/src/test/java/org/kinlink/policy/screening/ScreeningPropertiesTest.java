package org.kinlink.policy.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the location scanner against a sender who varies how a detail is written. */
class ScreeningPropertiesTest {
    private static final String[] DIGIT_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine"};
    private static final String[] SEPARATORS = {" ", "  ", ".", "-", " - ", "_", " . ", "", " dash ", "\n", " (", ") "};
    /** Ordinary words: no digits, no number words, no platforms, no street or web words. */
    private static final String[] ORDINARY = {"love", "you", "mum", "nan", "school", "today", "happy", "garden",
        "dog", "cat", "miss", "so", "much", "see", "soon", "at", "in", "near", "the", "on", "me", "my", "is", "we",
        "went", "to", "park", "beach", "shops", "with", "grandad", "cake", "birthday", "hope", "you're", "well",
        "did", "great", "spelling", "test", "teacher", "said", "proud", "of", "I", "am", "it", "was", "rainy",
        "sunny", "Tuesday", "call", "next", "week", "add", "follow", "find", "message", "picture", "drew", "a",
        "big", "red", "bus", "Leo", "Jade", "football", "match", "scored", "goal", "dinner", "tea", "bed", "early",
        "brother", "sister", "cousin", "Christmas", "Easter", "holiday", "Wales", "Cardiff", "Manchester", "home",
        "oak", "field", "church", "town", "city", "up", "down", "over", "via", "us", "our", "your", "name", "and"};
    private static final String[] PUNCTUATION = {" ", " ", " ", ", ", ". ", "! ", "? ", " - ", "\n", ": ", " @ "};

    private final LocationScanner scanner = new LocationScanner();

    private List<ContentMatch> scan(String text) {
        List<ContentMatch> out = new ArrayList<>();
        scanner.scan(text, out);
        return out;
    }

    /** A UK mobile number, each digit written as a digit or a word, the parts joined by any separators. */
    @Provide
    Arbitrary<String> disguisedMobiles() {
        Arbitrary<List<Integer>> rest = Arbitraries.integers().between(0, 9).list().ofSize(9);
        Arbitrary<List<Boolean>> asWords = Arbitraries.of(true, false).list().ofSize(11);
        Arbitrary<List<String>> separators = Arbitraries.of(SEPARATORS).list().ofSize(10);
        return Combinators.combine(rest, asWords, separators).as((digits, words, seps) -> {
            List<Integer> all = new ArrayList<>(List.of(0, 7));
            all.addAll(digits);
            StringBuilder sb = new StringBuilder("ring ");
            for (int i = 0; i < all.size(); i++) {
                int d = all.get(i);
                sb.append(words.get(i) ? (d == 0 && i % 2 == 0 ? "oh" : DIGIT_WORDS[d]) : String.valueOf(d));
                if (i < all.size() - 1) {
                    sb.append(seps.get(i));
                }
            }
            return sb.append(" tonight").toString();
        });
    }

    @Property(tries = 400)
    void separatorsAndWordsNeverHideAPhoneNumber(@ForAll("disguisedMobiles") String text) {
        List<ContentMatch> found = scan(text);
        assertTrue(found.stream().anyMatch(m -> m.kind() == MatchKind.PHONE_NUMBER
                && m.start() <= text.indexOf(' ') + 1 && m.end() >= text.lastIndexOf(' ')), text + " -> " + found);
    }

    /** An address written with any mix of "@"/"at"/"(at)" and "."/"dot"/"[dot]", spaced or not. */
    @Provide
    Arbitrary<String> spelledEmails() {
        Arbitrary<String> at = Arbitraries.of(" at ", " (at) ", " [at] ", " @ ", "@", " AT ", " {at} ");
        Arbitrary<String> dot = Arbitraries.of(" dot ", " (dot) ", " [dot] ", " . ", ".", " DOT ");
        Arbitrary<String> local = Arbitraries.of("jo", "jo.smith", "jo_12", "kiddo99", "leo-b");
        Arbitrary<String> domain = Arbitraries.of("gmail", "hotmail", "example", "my-site", "outlook");
        Arbitrary<String> tld = Arbitraries.of("com", "co%uk", "net", "org");
        return Combinators.combine(local, at, domain, dot, tld)
                .as((l, a, d, o, t) -> "write to " + l + a + d + o + t.replace("%", o) + " soon");
    }

    @Property(tries = 300)
    void spellingOutAnEmailNeverHidesIt(@ForAll("spelledEmails") String text) {
        List<ContentMatch> found = scan(text);
        int from = text.indexOf("to ") + 3;
        int to = text.indexOf(" soon");
        // "jo at example.com" is held for its link ("look at bit.ly" is no address); anything spelled is an address.
        boolean plainLink = text.matches(".* (at|AT) [a-z-]+\\.[a-z.]+ soon");
        assertTrue(found.stream().anyMatch(m -> m.end() == to && (plainLink
                ? m.kind() == MatchKind.LINK || m.kind() == MatchKind.EMAIL_ADDRESS && m.start() == from
                : m.kind() == MatchKind.EMAIL_ADDRESS && m.start() == from)), text + " -> " + found);
    }

    @Provide
    Arbitrary<String> ordinaryText() {
        Arbitrary<String> word = Arbitraries.of(ORDINARY);
        Arbitrary<String> join = Arbitraries.of(PUNCTUATION);
        Arbitrary<Boolean> capital = Arbitraries.of(true, false, false, false);
        Arbitrary<String> piece = Combinators.combine(word, join, capital)
                .as((w, j, c) -> (c ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w) + j);
        return piece.list().ofMinSize(1).ofMaxSize(60).map(p -> String.join("", p));
    }

    @Property(tries = 500)
    void ordinaryWordsWithoutDigitsOrHandlesAreNeverFlagged(@ForAll("ordinaryText") String text) {
        assertEquals(List.of(), scan(text), text);
    }
}
