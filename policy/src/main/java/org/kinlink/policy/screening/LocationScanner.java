package org.kinlink.policy.screening;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds things in a message that could reveal where someone is or how to reach them outside the
 * system: UK postcodes, street addresses, phone numbers (UK and international), email addresses
 * and links, and the same written to get past a scanner: numbers in words, spelled-out emails,
 * social-media handles and outward postcodes standing as a place ({@link SpelledNumbers},
 * {@link DisguisedContacts}). Hand-written single-pass scanners rather than regular expressions: every detector does
 * bounded work per position, so there is no backtracking blow-up and a 4 KB message costs a few
 * microseconds. Stateless and thread-safe.
 */
public final class LocationScanner {
    private static final int MAX_MATCHES = 64;
    private static final Set<String> TLDS = Set.of(
            "com", "net", "org", "uk", "io", "info", "biz", "gov", "edu", "ly", "gl", "app", "dev", "tv",
            "ie", "eu", "xyz", "online", "site", "link", "ru", "de", "fr", "cn", "au", "ca", "nz", "club", "live");
    /** Street words that make "Capitalised Word + suffix" an address even without a house number. */
    private static final Set<String> STRONG_SUFFIXES = Set.of(
            "street", "road", "avenue", "lane", "drive", "crescent", "grove", "gardens", "terrace", "mews",
            "boulevard", "rd", "ave", "st");
    /** Street words that need a house number before them ("12 Mill Close", not "very close"). */
    private static final Set<String> WEAK_SUFFIXES = Set.of(
            "close", "way", "walk", "row", "hill", "court", "park", "place", "square", "green", "rise", "vale",
            "parade", "wharf", "ln", "dr", "cres", "gdns", "tce", "pl", "sq", "ct", "cl");
    private static final int SUFFIX_TABLE_BITS = 7;
    /** Open-addressing table of the packed suffixes (keys) and the words (null: empty slot). */
    private static final long[] SUFFIX_TABLE_KEYS = new long[1 << SUFFIX_TABLE_BITS];
    private static final String[] SUFFIX_TABLE_WORDS = new String[1 << SUFFIX_TABLE_BITS];

    static {
        // Filled once here and never written again.
        Stream.concat(STRONG_SUFFIXES.stream(), WEAK_SUFFIXES.stream()).sorted().forEach(word -> {
            long key = pack(word, 0, word.length());
            int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - SUFFIX_TABLE_BITS));
            while (SUFFIX_TABLE_WORDS[slot] != null) {
                slot = (slot + 1) & ((1 << SUFFIX_TABLE_BITS) - 1);
            }
            SUFFIX_TABLE_KEYS[slot] = key;
            SUFFIX_TABLE_WORDS[slot] = word;
        });
    }
    /** Words that do not belong in a street name; they stop "2 dogs in the park" being an address. */
    private static final Set<String> STOP_WORDS = Set.of(
            "the", "a", "an", "in", "on", "at", "of", "to", "my", "our", "your", "his", "her", "their", "and", "or",
            "for", "with", "by", "from", "is", "are", "was", "this", "that", "no", "any", "one", "some", "every",
            "i", "we", "you", "it", "pm", "am", "times", "out", "mins", "minutes", "hours", "days", "weeks");

    /** Appends every location disclosure in {@code text} to {@code into}, in text order. */
    public void scan(String text, List<ContentMatch> into) {
        int before = into.size();
        scanEmails(text, into);
        int emailsEnd = into.size();
        scanWords(text, into, before, emailsEnd);
        if (into.size() - before > 1) {
            // Staff read matches in text order.
            into.subList(before, into.size()).sort(Comparator.comparingInt(ContentMatch::start));
        }
        scanDisguised(text, into, before);
        while (into.size() - before > MAX_MATCHES) {
            into.remove(into.size() - 1);
        }
    }

    /**
     * The phrase detectors (spelled-out numbers and emails, handles, outward postcodes) over the
     * message's tokens; a finding inside one the character scanners made already is dropped, so
     * "mum@example.com" stays one match.
     */
    private static void scanDisguised(String text, List<ContentMatch> into, int before) {
        Tokens tokens = new Tokens(text);
        List<ContentMatch> found = new ArrayList<>();
        new SpelledNumbers(tokens).scan(found, MAX_MATCHES * 2);
        new DisguisedContacts(tokens).scan(found, MAX_MATCHES * 2);
        if (found.isEmpty()) {
            return;
        }
        found.sort(Comparator.comparingInt(ContentMatch::start).thenComparing(Comparator.comparingInt(ContentMatch::end).reversed()));
        int existing = into.size();
        int e = before;
        int coveredTo = -1;
        for (ContentMatch m : found) {
            while (e < existing && into.get(e).start() <= m.start()) {
                coveredTo = Math.max(coveredTo, into.get(e).end());
                e++;
            }
            if (coveredTo < m.end()) {
                into.add(m);
                coveredTo = m.end();
            }
        }
        if (into.size() > existing && existing > before) {
            into.subList(before, into.size()).sort(Comparator.comparingInt(ContentMatch::start));
        }
    }

    private static final byte OTHER = 0;
    private static final byte LETTER = 1;
    private static final byte DIGIT = 2;
    private static final byte WORD_OTHER = 3; // non-ASCII letters and digits, apostrophes: part of a word
    private static final byte DOT = 4;
    private static final byte PHONE_START = 5; // '+' and '('
    private static final byte[] ASCII = asciiClasses();

    private static byte[] asciiClasses() {
        byte[] t = new byte[128];
        for (int c = 0; c < 128; c++) {
            t[c] = isAsciiLetter((char) c) ? LETTER : isAsciiDigit((char) c) ? DIGIT
                    : c == '\'' ? WORD_OTHER : c == '.' ? DOT : c == '+' || c == '(' ? PHONE_START : OTHER;
        }
        return t;
    }

    private static int classOf(char c) {
        return c < 128 ? ASCII[c] : Character.isLetterOrDigit(c) ? WORD_OTHER : OTHER;
    }

    /**
     * One pass over the words of the text: each detector runs only where it can match (a link at
     * "h"/"w" word starts and dots, a phone number at digits, a postcode at a word holding a digit,
     * a street at a street-suffix word), so prose costs a table lookup per character.
     */
    private static void scanWords(String text, List<ContentMatch> into, int emailsFrom, int emailsTo) {
        int length = text.length();
        int[] starts = new int[5];
        int[] ends = new int[5];
        int words = 0;
        int linkSkip = 0;
        int phoneSkip = 0;
        int postcodeSkip = 0;
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            int cls = classOf(c);
            if (cls == DOT) {
                if (i >= linkSkip) {
                    int end = bareDomainEnd(text, i, into, emailsFrom, emailsTo);
                    if (end > 0) {
                        linkSkip = end;
                    }
                }
                i++;
                continue;
            }
            if (cls == PHONE_START) {
                if (i >= phoneSkip && i + 1 < length && isAsciiDigit(text.charAt(i + 1))) {
                    phoneSkip = phoneAt(text, i, into);
                }
                i++;
                continue;
            }
            if (cls == OTHER) {
                i++;
                continue;
            }
            // A word: letters, digits, apostrophes. Pack up to 12 ASCII letters for the suffix lookup.
            int start = i;
            long key = 0;
            boolean letters = true;
            int firstDigit = -1;
            while (i < length) {
                c = text.charAt(i);
                cls = classOf(c);
                if (cls == LETTER) {
                    key = (key << 5) | ((c | 0x20) - 'a' + 1);
                } else if (cls == DIGIT) {
                    letters = false;
                    if (firstDigit < 0) {
                        firstDigit = i;
                    }
                } else if (cls == WORD_OTHER) {
                    letters = false;
                } else {
                    break;
                }
                i++;
            }
            int end = i;
            int slot = words % 5;
            starts[slot] = start;
            ends[slot] = end;
            words++;
            char first = text.charAt(start);
            if (start >= linkSkip && (first == 'h' || first == 'H' || first == 'w' || first == 'W')) {
                int linkEnd = schemeOrWwwLinkEnd(text, start);
                if (linkEnd > 0) {
                    into.add(new ContentMatch(MatchKind.LINK, start, linkEnd, null));
                    linkSkip = linkEnd;
                }
            }
            if (firstDigit >= 0 && firstDigit >= phoneSkip && (firstDigit == 0 || !isAsciiDigit(text.charAt(firstDigit - 1)))) {
                phoneSkip = phoneAt(text, firstDigit, into);
            }
            if (firstDigit > start && start >= postcodeSkip && isAsciiLetter(first)) {
                int postcodeEnd = postcodeEnd(text, start);
                if (postcodeEnd > 0) {
                    into.add(new ContentMatch(MatchKind.POSTCODE, start, postcodeEnd, null));
                    postcodeSkip = postcodeEnd;
                }
            }
            if (letters && end - start >= 2 && end - start <= 9) {
                String suffix = suffixFor(key);
                if (suffix != null) {
                    street(text, starts, ends, words, suffix, end, into);
                }
            }
        }
    }

    // ---- email addresses -------------------------------------------------------------------

    private static void scanEmails(String text, List<ContentMatch> into) {
        int at = text.indexOf('@');
        while (at >= 0) {
            int left = at;
            while (left > 0 && at - left < 64 && isLocalChar(text.charAt(left - 1))) {
                left--;
            }
            int end = domainEnd(text, at + 1);
            if (left < at && end > 0) {
                into.add(new ContentMatch(MatchKind.EMAIL_ADDRESS, left, end, null));
            }
            at = text.indexOf('@', at + 1);
        }
    }

    private static boolean isLocalChar(char c) {
        return isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    /** End of a dotted domain starting at {@code from} whose last label is alphabetic (2+ letters), or -1. */
    private static int domainEnd(String text, int from) {
        int i = from;
        int limit = Math.min(text.length(), from + 253);
        int end = -1;
        int labelStart = i;
        boolean sawDot = false;
        while (i < limit) {
            char c = text.charAt(i);
            if (isAsciiAlnum(c) || c == '-') {
                i++;
                continue;
            }
            if (c == '.' && i > labelStart) {
                sawDot = true;
                i++;
                labelStart = i;
                if (alphabeticLabelEnd(text, labelStart, limit) > labelStart + 1) {
                    end = alphabeticLabelEnd(text, labelStart, limit);
                }
                continue;
            }
            break;
        }
        return sawDot ? end : -1;
    }

    private static int alphabeticLabelEnd(String text, int from, int limit) {
        int i = from;
        while (i < limit && isAsciiLetter(text.charAt(i))) {
            i++;
        }
        if (i < limit && (isAsciiDigit(text.charAt(i)) || text.charAt(i) == '-')) {
            return from; // not a top-level label
        }
        return i;
    }

    // ---- links ------------------------------------------------------------------------------

    /** End of an http(s):// or www. link starting at a word start, or -1. */
    private static int schemeOrWwwLinkEnd(String text, int i) {
        if (regionMatches(text, i, "http://") || regionMatches(text, i, "https://")) {
            return nonSpaceEnd(text, i);
        }
        if (regionMatches(text, i, "www.") && i + 4 < text.length() && isAsciiAlnum(text.charAt(i + 4))) {
            return nonSpaceEnd(text, i);
        }
        return -1;
    }

    /** A bare domain whose known top-level label follows the dot at {@code i} ("bit.ly/x"); adds it and returns its end, or -1. */
    private static int bareDomainEnd(String text, int i, List<ContentMatch> into, int emailsFrom, int emailsTo) {
        int length = text.length();
        if (i == 0 || !isAsciiAlnum(text.charAt(i - 1))) {
            return -1;
        }
        int tldEnd = alphabeticLabelEnd(text, i + 1, length);
        if (tldEnd <= i + 2 || tldEnd - i - 1 > 6 || (tldEnd < length && Character.isLetterOrDigit(text.charAt(tldEnd)))
                || !TLDS.contains(text.substring(i + 1, tldEnd).toLowerCase(Locale.ROOT))
                || insideAny(into, emailsFrom, emailsTo, i)) {
            return -1;
        }
        int start = i;
        while (start > 0 && i - start < 253 && (isAsciiAlnum(text.charAt(start - 1)) || text.charAt(start - 1) == '-'
                || text.charAt(start - 1) == '.')) {
            start--;
        }
        int end = tldEnd < length && text.charAt(tldEnd) == '/' ? nonSpaceEnd(text, tldEnd) : tldEnd;
        into.add(new ContentMatch(MatchKind.LINK, start, end, null));
        return end;
    }

    private static boolean insideAny(List<ContentMatch> matches, int from, int to, int offset) {
        for (int m = from; m < to; m++) {
            if (offset >= matches.get(m).start() && offset < matches.get(m).end()) {
                return true;
            }
        }
        return false;
    }

    private static int nonSpaceEnd(String text, int from) {
        int i = from;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        // Trailing sentence punctuation is not part of the link.
        while (i > from && ".,;:!?)\"'".indexOf(text.charAt(i - 1)) >= 0) {
            i--;
        }
        return i;
    }

    // ---- phone numbers ------------------------------------------------------------------------

    /**
     * Reads a digit run with separators from {@code start} ('+', '(' or a digit); adds it when it is
     * shaped like a phone number. Returns where scanning for phone numbers may resume.
     */
    private static int phoneAt(String text, int start, List<ContentMatch> into) {
        int length = text.length();
        char c = text.charAt(start);
        boolean plus = c == '+';
        int j = isAsciiDigit(c) ? start : start + 1;
        int digits = 0;
        int lastDigitEnd = j;
        char first = 0;
        char second = 0;
        while (j < length && digits <= 16) {
            char d = text.charAt(j);
            if (isAsciiDigit(d)) {
                if (digits == 0) {
                    first = d;
                } else if (digits == 1) {
                    second = d;
                }
                digits++;
                j++;
                lastDigitEnd = j;
                continue;
            }
            // Allow up to two separator characters between digit groups: "07700 900123", "+44 (0)7700".
            int k = j;
            while (k < length && k - j < 2 && isPhoneSeparator(text.charAt(k))) {
                k++;
            }
            if (k > j && k < length && isAsciiDigit(text.charAt(k))) {
                j = k;
                continue;
            }
            break;
        }
        if (isPhone(plus, first, second, digits) && !followedByLetter(text, lastDigitEnd)) {
            into.add(new ContentMatch(MatchKind.PHONE_NUMBER, start, lastDigitEnd, null));
        }
        return Math.max(lastDigitEnd, start + 1);
    }

    private static boolean isPhone(boolean plus, char first, char second, int digits) {
        if (plus) {
            return digits >= 8 && digits <= 15;
        }
        if (first == '0' && second == '0') {
            return digits >= 10 && digits <= 17; // 00 + international number
        }
        if (first == '0') {
            return digits >= 10 && digits <= 11; // UK national format
        }
        return digits >= 10 && digits <= 15; // a bare number long enough to be a phone number
    }

    private static boolean followedByLetter(String text, int end) {
        return end < text.length() && Character.isLetter(text.charAt(end));
    }

    private static boolean isPhoneSeparator(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\u00A0';
    }

    // ---- UK postcodes -------------------------------------------------------------------------

    /** End of a full UK postcode starting at {@code i} (outward code, optional space, inward code), or -1. */
    private static int postcodeEnd(String text, int i) {
        // Outward: A9, A99, A9A, AA9, AA99, AA9A. Try longer forms first.
        for (int letters = 2; letters >= 1; letters--) {
            if (!outwardLetters(text, i, letters)) {
                continue;
            }
            int d = i + letters;
            if (d >= text.length() || !isAsciiDigit(text.charAt(d))) {
                continue;
            }
            for (int extra = 1; extra >= 0; extra--) {
                int outEnd = d + 1 + extra;
                if (extra == 1 && (outEnd > text.length() || !isAsciiAlnum(text.charAt(d + 1)))) {
                    continue;
                }
                int in = outEnd;
                if (in < text.length() && text.charAt(in) == ' ') {
                    in++;
                }
                int end = inwardEnd(text, in);
                if (end > 0) {
                    return end;
                }
            }
        }
        return -1;
    }

    private static boolean outwardLetters(String text, int i, int letters) {
        if (i + letters > text.length()) {
            return false;
        }
        char a = Character.toUpperCase(text.charAt(i));
        if (!isAsciiLetter(a) || a == 'Q' || a == 'V' || a == 'X') {
            return false;
        }
        if (letters == 2) {
            char b = Character.toUpperCase(text.charAt(i + 1));
            return isAsciiLetter(b) && b != 'I' && b != 'J' && b != 'Z';
        }
        return true;
    }

    private static int inwardEnd(String text, int in) {
        if (in + 3 > text.length() || !isAsciiDigit(text.charAt(in))
                || !inwardLetter(text.charAt(in + 1)) || !inwardLetter(text.charAt(in + 2))) {
            return -1;
        }
        int end = in + 3;
        return end < text.length() && Character.isLetterOrDigit(text.charAt(end)) ? -1 : end;
    }

    private static boolean inwardLetter(char c) {
        char u = Character.toUpperCase(c);
        return isAsciiLetter(u) && "CIKMOV".indexOf(u) < 0;
    }

    // ---- street addresses ---------------------------------------------------------------------

    /** Adds a street address ending with the suffix word that ends at {@code end}, if the words before make one. */
    private static void street(String text, int[] starts, int[] ends, int words, String suffix, int end,
                               List<ContentMatch> into) {
        boolean strong = STRONG_SUFFIXES.contains(suffix);
        int addressStart = numberedAddressStart(text, starts, ends, words);
        if (addressStart < 0 && strong) {
            addressStart = namedStreetStart(text, starts, ends, words, suffix);
        }
        if (addressStart >= 0) {
            into.add(new ContentMatch(MatchKind.STREET_ADDRESS, addressStart, end, null));
        }
    }

    /** The street suffix whose packed form is {@code key}, or null: one multiply and a probe or two. */
    private static String suffixFor(long key) {
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - SUFFIX_TABLE_BITS));
        while (SUFFIX_TABLE_WORDS[slot] != null) {
            if (SUFFIX_TABLE_KEYS[slot] == key) {
                return SUFFIX_TABLE_WORDS[slot];
            }
            slot = (slot + 1) & ((1 << SUFFIX_TABLE_BITS) - 1);
        }
        return null;
    }

    /**
     * A word of up to 12 ASCII letters packed case-insensitively into a long (5 bits a letter), or -1:
     * lets every word be checked against the street suffixes with one binary search and no allocation.
     */
    private static long pack(CharSequence text, int start, int end) {
        if (end - start > 12) {
            return -1;
        }
        long key = 0;
        for (int k = start; k < end; k++) {
            char c = text.charAt(k);
            int letter = c >= 'a' && c <= 'z' ? c - 'a' + 1 : c >= 'A' && c <= 'Z' ? c - 'A' + 1 : -1;
            if (letter < 0) {
                return -1;
            }
            key = (key << 5) | letter;
        }
        return key;
    }

    /** "12 Brook Street", "221b baker st": a house number, 1-3 name words, then the suffix. */
    private static int numberedAddressStart(String text, int[] starts, int[] ends, int words) {
        for (int nameWords = 1; nameWords <= 3 && words - 2 - nameWords >= 0; nameWords++) {
            int nameWord = words - 1 - nameWords;
            if (!isNameWord(text, starts[nameWord % 5], ends[nameWord % 5])) {
                return -1;
            }
            int number = words - 2 - nameWords;
            if (isHouseNumber(text, starts[number % 5], ends[number % 5])) {
                return starts[number % 5];
            }
        }
        return -1;
    }

    /** "Brook Street": a capitalised name word (not a stop word) right before a strong suffix. */
    private static int namedStreetStart(String text, int[] starts, int[] ends, int words, String suffix) {
        if (words < 2) {
            return -1;
        }
        int prev = (words - 2) % 5;
        int s = starts[prev];
        if (!Character.isUpperCase(text.charAt(s)) || !isNameWord(text, s, ends[prev])) {
            return -1;
        }
        if (suffix.equals("st") && followedByCapitalisedWord(text, ends[(words - 1) % 5])) {
            return -1; // "St Mary's" is a saint, not a street
        }
        return s;
    }

    private static boolean followedByCapitalisedWord(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '.')) {
            i++;
        }
        return i < text.length() && Character.isUpperCase(text.charAt(i));
    }

    private static boolean isNameWord(String text, int start, int end) {
        if (end - start < 2 || end - start > 20) {
            return false;
        }
        for (int k = start; k < end; k++) {
            if (!Character.isLetter(text.charAt(k)) && text.charAt(k) != '\'') {
                return false;
            }
        }
        return !STOP_WORDS.contains(text.substring(start, end).toLowerCase(Locale.ROOT));
    }

    private static boolean isHouseNumber(String text, int start, int end) {
        int k = start;
        while (k < end && isAsciiDigit(text.charAt(k))) {
            k++;
        }
        int digits = k - start;
        return digits >= 1 && digits <= 4 && text.charAt(start) != '0'
                && (k == end || (k + 1 == end && isAsciiLetter(text.charAt(k))));
    }

    // ---- character classes --------------------------------------------------------------------

    private static boolean regionMatches(String text, int i, String prefix) {
        return text.regionMatches(true, i, prefix, 0, prefix.length());
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiAlnum(char c) {
        return isAsciiDigit(c) || isAsciiLetter(c);
    }
}
