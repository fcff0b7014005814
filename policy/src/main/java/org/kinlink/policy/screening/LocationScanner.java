package org.kinlink.policy.screening;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds things in a message that could reveal where someone is or how to reach them outside the
 * system: UK postcodes, street addresses, phone numbers (UK and international), email addresses
 * and links. Hand-written single-pass scanners rather than regular expressions: every detector does
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
    private static final String[][] SUFFIXES_BY_LENGTH = bucketByLength(STRONG_SUFFIXES, WEAK_SUFFIXES);
    /** Words that do not belong in a street name; they stop "2 dogs in the park" being an address. */
    private static final Set<String> STOP_WORDS = Set.of(
            "the", "a", "an", "in", "on", "at", "of", "to", "my", "our", "your", "his", "her", "their", "and", "or",
            "for", "with", "by", "from", "is", "are", "was", "this", "that", "no", "any", "one", "some", "every",
            "i", "we", "you", "it", "pm", "am", "times", "out", "mins", "minutes", "hours", "days", "weeks");

    private static String[][] bucketByLength(Set<String> a, Set<String> b) {
        String[][] buckets = new String[10][];
        for (int length = 0; length < buckets.length; length++) {
            final int l = length;
            buckets[length] = java.util.stream.Stream.concat(a.stream(), b.stream())
                    .filter(s -> s.length() == l).sorted().toArray(String[]::new);
        }
        return buckets;
    }

    /** Appends every location disclosure in {@code text} to {@code into}. */
    public void scan(String text, List<ContentMatch> into) {
        int before = into.size();
        scanEmails(text, into);
        int emailsEnd = into.size();
        scanLinks(text, into, before, emailsEnd);
        scanPhones(text, into);
        scanPostcodes(text, into);
        scanStreets(text, into);
        if (into.size() - before > 1) {
            // Staff read matches in text order.
            into.subList(before, into.size()).sort(java.util.Comparator.comparingInt(ContentMatch::start));
        }
        while (into.size() - before > MAX_MATCHES) {
            into.remove(into.size() - 1);
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

    private static void scanLinks(String text, List<ContentMatch> into, int emailsFrom, int emailsTo) {
        int length = text.length();
        int skipUntil = 0;
        for (int i = 0; i < length; i++) {
            if (i < skipUntil) {
                continue;
            }
            char c = text.charAt(i);
            if ((c == 'h' || c == 'H') && startsWordAt(text, i)
                    && (regionMatches(text, i, "http://") || regionMatches(text, i, "https://"))) {
                int end = nonSpaceEnd(text, i);
                into.add(new ContentMatch(MatchKind.LINK, i, end, null));
                skipUntil = end;
            } else if ((c == 'w' || c == 'W') && startsWordAt(text, i) && regionMatches(text, i, "www.")
                    && i + 4 < length && isAsciiAlnum(text.charAt(i + 4))) {
                int end = nonSpaceEnd(text, i);
                into.add(new ContentMatch(MatchKind.LINK, i, end, null));
                skipUntil = end;
            } else if (c == '.' && i > 0 && isAsciiAlnum(text.charAt(i - 1))) {
                int tldEnd = alphabeticLabelEnd(text, i + 1, length);
                if (tldEnd > i + 2 && (tldEnd == length || !Character.isLetterOrDigit(text.charAt(tldEnd)))
                        && TLDS.contains(text.substring(i + 1, tldEnd).toLowerCase(Locale.ROOT))
                        && !insideAny(into, emailsFrom, emailsTo, i)) {
                    int start = i;
                    while (start > 0 && i - start < 253
                            && (isAsciiAlnum(text.charAt(start - 1)) || text.charAt(start - 1) == '-'
                            || text.charAt(start - 1) == '.')) {
                        start--;
                    }
                    int end = tldEnd < length && text.charAt(tldEnd) == '/' ? nonSpaceEnd(text, tldEnd) : tldEnd;
                    into.add(new ContentMatch(MatchKind.LINK, start, end, null));
                    skipUntil = end;
                }
            }
        }
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

    private static void scanPhones(String text, List<ContentMatch> into) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            boolean plus = c == '+' && i + 1 < length && isAsciiDigit(text.charAt(i + 1));
            boolean paren = c == '(' && i + 1 < length && isAsciiDigit(text.charAt(i + 1));
            if (!(isAsciiDigit(c) || plus || paren) || (i > 0 && isAsciiDigit(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int start = i;
            int j = plus || paren ? i + 1 : i;
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
            i = Math.max(lastDigitEnd, i + 1);
        }
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

    private static void scanPostcodes(String text, List<ContentMatch> into) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (!isAsciiLetter(text.charAt(i)) || !startsWordAt(text, i)) {
                continue;
            }
            int end = postcodeEnd(text, i);
            if (end > 0) {
                into.add(new ContentMatch(MatchKind.POSTCODE, i, end, null));
                i = end - 1;
            }
        }
    }

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

    private static void scanStreets(String text, List<ContentMatch> into) {
        int length = text.length();
        // Remember the last few words (start/end offsets) to look back from a street suffix.
        int[] starts = new int[5];
        int[] ends = new int[5];
        int words = 0;
        int i = 0;
        while (i < length) {
            if (!Character.isLetterOrDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < length && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '\'')) {
                i++;
            }
            int slot = words % 5;
            starts[slot] = start;
            ends[slot] = i;
            words++;
            int suffixLength = i - start;
            if (suffixLength < 2 || suffixLength > 9 || !isAsciiLetter(text.charAt(start))) {
                continue;
            }
            String word = suffixAt(text, start, suffixLength);
            if (word == null) {
                continue;
            }
            boolean strong = STRONG_SUFFIXES.contains(word);
            int addressStart = numberedAddressStart(text, starts, ends, words);
            if (addressStart < 0 && strong) {
                addressStart = namedStreetStart(text, starts, ends, words, word);
            }
            if (addressStart >= 0) {
                into.add(new ContentMatch(MatchKind.STREET_ADDRESS, addressStart, i, null));
            }
        }
    }

    /** The street suffix spelled by this word (case-insensitive), or null; allocation-free on the hot path. */
    private static String suffixAt(String text, int start, int length) {
        for (String candidate : SUFFIXES_BY_LENGTH[length]) {
            if (text.regionMatches(true, start, candidate, 0, length)) {
                return candidate;
            }
        }
        return null;
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

    private static boolean startsWordAt(String text, int i) {
        return i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
    }

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
