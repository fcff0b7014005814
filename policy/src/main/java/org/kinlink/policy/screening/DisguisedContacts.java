package org.kinlink.policy.screening;

import java.util.List;
import org.kinlink.policy.screening.Tokens.WordSet;

/**
 * Contact details and locations written as phrases to get past the character scanners: emails
 * spelled out ("jo at gmail dot com", "jo (at) gmail [dot] com", "jo @ gmail . com", spaced or run
 * together), social-media handles ("snap: jo_123", "insta @jo.x", "add me on facebook",
 * "whatsapp me", a lone "@handle") and outward postcodes standing as a place ("we live in SK9 now",
 * "near M20", "the CF10 area", "SK9 4"). Each detector looks at most a few tokens either side of
 * the token it is at, so the scan is linear in the message.
 */
final class DisguisedContacts {
    private static final long AT = Tokens.pack("at");
    private static final long DOT = Tokens.pack("dot");
    private static final long THE = Tokens.pack("the");
    private static final long POST = Tokens.pack("post");
    private static final long CODE = Tokens.pack("code");
    private static final long UP = Tokens.pack("up");

    static final WordSet TLDS = WordSet.of(
            "com", "net", "org", "uk", "io", "info", "biz", "gov", "edu", "ly", "gl", "app", "dev", "tv",
            "ie", "eu", "xyz", "online", "site", "link", "ru", "de", "fr", "cn", "au", "ca", "nz", "club", "live",
            "me", "co", "email", "wales", "cymru", "scot");
    /** Providers that are only ever mail, so "jo at gmail" is an address without any "dot com". */
    private static final WordSet MAIL_PROVIDERS = WordSet.of(
            "gmail", "googlemail", "hotmail", "yahoo", "ymail", "icloud", "protonmail", "btinternet", "aol", "msn");
    private static final String[] COMPACT_ENDINGS = {"dotcom", "dotnet", "dotorg", "dotcouk", "dotcodotuk", "dotuk",
        "dotie", "dotme"};
    private static final String[] COMPACT_PROVIDERS = {"gmail", "googlemail", "hotmail", "yahoo", "icloud", "outlook"};

    private static final String[] PLATFORM_NAMES = {
        "snap", "snapchat", "sc", "insta", "instagram", "ig", "tiktok", "facebook", "fb", "messenger", "whatsapp",
            "telegram", "twitter", "discord", "kik", "youtube", "yt", "twitch", "wechat", "viber", "skype", "roblox",
            "xbox", "psn", "gamertag", "facetime", "bereal"};
    private static final WordSet PLATFORMS = WordSet.of(PLATFORM_NAMES);
    /** Two-word spellings of platforms: first words and, at the same index, second words. */
    private static final long[] PLATFORM_FIRST = keys("tik", "snap", "face", "whats", "insta", "you", "face");
    private static final long[] PLATFORM_SECOND = keys("tok", "chat", "book", "app", "gram", "tube", "time");
    private static final WordSet PLATFORM_STARTS = new WordSet(java.util.stream.Stream.concat(
            java.util.Arrays.stream(PLATFORM_NAMES), java.util.stream.Stream.of("tik", "face", "whats", "you")).toList());
    /** Platforms that are also a verb: "whatsapp me", "snap me". */
    private static final WordSet VERB_PLATFORMS = WordSet.of(
            "whatsapp", "snap", "snapchat", "facetime", "insta", "telegram", "kik", "skype", "messenger", "facebook",
            "tiktok");
    private static final WordSet ME = WordSet.of("me", "us");
    private static final WordSet ON = WordSet.of("on", "via", "over", "through", "thru");
    private static final WordSet MY = WordSet.of("my", "our", "his", "her", "their", "mine");
    private static final WordSet LABELS = WordSet.of(
            "is", "name", "username", "user", "handle", "id", "its", "tag", "me", "add", "at");
    /** Labels that say the next word is the name: "snap name jojo". */
    private static final WordSet NAME_LABELS = WordSet.of("name", "username", "user", "handle", "id", "tag");
    /** Words after "my snap is" that are not a name: "my insta is private". */
    private static final WordSet NOT_HANDLES = WordSet.of(
            "the", "a", "an", "not", "off", "on", "private", "public", "down", "broken", "blocked", "deleted", "gone",
            "banned", "closed", "open", "new", "old", "so", "too", "very", "really", "good", "bad", "fun", "boring",
            "full", "just", "still", "all", "my", "your", "it", "that", "this", "there", "here", "back", "up", "out",
            "working", "same", "different", "great", "ok", "okay", "fine", "better", "worse", "mad", "funny", "crazy",
            "hacked", "locked", "disabled", "shut", "dead", "is", "was", "and", "or", "but", "for", "with", "at", "in",
            "of", "to", "me", "you", "lol", "haha", "now", "again", "what", "how", "why", "when", "where", "who", "i",
            "im", "we", "she", "he", "they", "be", "been", "being", "getting", "going", "gonna", "no", "yes", "nothing",
            "empty", "quiet", "busy", "down", "like", "about", "because", "cos", "if", "then", "photo", "photos",
            "pic", "pics", "video", "videos", "story", "stories", "chat", "app", "account", "page", "feed");
    /** Words people write "@" for "at": "see you @home". */
    private static final WordSet AT_WORDS = WordSet.of(
            "home", "school", "work", "church", "night", "lunch", "tea", "the", "my", "noon", "weekend", "nans",
            "nan", "mums", "mum", "dads", "dad", "xmas", "christmas", "easter", "college", "uni", "gym", "visits",
            "visit", "all", "least", "last", "once", "first", "midnight", "breakfast", "dinner", "bedtime");

    /** UK postcode areas (the letters of an outward code). */
    private static final WordSet POSTCODE_AREAS = WordSet.of(
            "ab", "al", "b", "ba", "bb", "bd", "bh", "bl", "bn", "br", "bs", "bt", "ca", "cb", "cf", "ch", "cm", "co",
            "cr", "ct", "cv", "cw", "da", "dd", "de", "dg", "dh", "dl", "dn", "dt", "dy", "e", "ec", "eh", "en", "ex",
            "fk", "fy", "g", "gl", "gu", "gy", "ha", "hd", "hg", "hp", "hr", "hs", "hu", "hx", "ig", "im", "ip", "iv",
            "je", "ka", "kt", "kw", "ky", "l", "la", "ld", "le", "ll", "ln", "ls", "lu", "m", "me", "mk", "ml", "n",
            "ne", "ng", "nn", "np", "nr", "nw", "ol", "ox", "pa", "pe", "ph", "pl", "po", "pr", "rg", "rh", "rm", "s",
            "sa", "se", "sg", "sk", "sl", "sm", "sn", "so", "sp", "sr", "ss", "st", "sw", "sy", "ta", "td", "tf", "tn",
            "tq", "tr", "ts", "tw", "ub", "w", "wa", "wc", "wd", "wf", "wn", "wr", "ws", "wv", "yo", "ze");
    /** Words before an outward code that make it a place: "live in SK9", "near M20", "moved to CF10". */
    private static final WordSet PLACE_CUES = WordSet.of(
            "in", "near", "nr", "at", "to", "from", "around", "round", "by", "postcode", "postal", "outside",
            "towards", "toward", "live", "living", "lives", "moved", "area", "district", "nearby", "past");
    private static final WordSet AREA_WORDS = WordSet.of("area", "postcode", "district", "way", "side", "end");
    /** Words after a code that make it a road: "M25 motorway traffic", "M6 toll", "M4 junction 5". */
    private static final WordSet ROAD_WORDS = WordSet.of(
            "motorway", "mway", "junction", "jct", "jn", "toll", "services", "northbound", "southbound", "eastbound",
            "westbound", "traffic", "road", "roadworks", "exit", "slip", "bus", "link", "bridge", "corridor", "tunnel",
            "clockwise", "anticlockwise", "queue", "queues", "closure", "closed", "crash", "accident");

    private final Tokens tokens;
    private final char[] buf = new char[64];

    DisguisedContacts(Tokens tokens) {
        this.tokens = tokens;
    }

    private static long[] keys(String... words) {
        long[] k = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            k[i] = Tokens.pack(words[i]);
        }
        return k;
    }

    /** Adds every disguised email, handle and outward postcode, at most until {@code limit} matches. */
    void scan(List<ContentMatch> into, int limit) {
        Tokens t = tokens;
        int handleEnd = -1;
        for (int i = 0; i < t.count && into.size() < limit; i++) {
            if (t.type[i] == Tokens.WORD) {
                if (t.hasDigit[i]) {
                    partialPostcode(i, into);
                }
                if (t.end[i] - t.start[i] >= 9) {
                    compactEmail(i, into);
                }
                int platformEnd = platformEnd(i);
                if (platformEnd >= 0) {
                    int end = handle(i, platformEnd, into);
                    handleEnd = Math.max(handleEnd, end);
                }
            }
            email(i, into);
            if (t.isPunct(i, '@') && t.end[i] > handleEnd) {
                handleEnd = Math.max(handleEnd, loneHandle(i, into));
            }
        }
    }

    // ---- spelled-out emails -------------------------------------------------------------------

    private void email(int t, List<ContentMatch> into) {
        Tokens tk = tokens;
        int markerEnd = markerEnd(t, AT, '@');
        if (markerEnd < 0 || !tk.isWord(t - 1)) {
            return;
        }
        int localStart = compoundStart(t - 1);
        int first = markerEnd + 1;
        if (!tk.isWord(first)) {
            return;
        }
        int firstEnd = compoundEnd(first);
        int last = firstEnd;
        int dots = 0;
        boolean spelled = markerEnd != t || !tk.is(t, AT) || tk.in(first, MAIL_PROVIDERS);
        while (dots < 6) {
            int dot = markerEnd(last + 1, DOT, '.');
            if (dot < 0 || !tk.isWord(dot + 1) || !plausibleDot(last + 1, dot)) {
                break;
            }
            spelled |= dot != last + 1 || !tk.isPunct(dot, '.') || tk.gapBefore[dot];
            last = compoundEnd(dot + 1);
            dots++;
        }
        // "look at bit.ly/x" is a link (found already), not an address.
        if (dots > 0 && spelled && tk.in(last, TLDS)) {
            into.add(new ContentMatch(MatchKind.EMAIL_ADDRESS, tk.start[localStart], tk.end[last], null));
        } else if (firstEnd == first && tk.in(first, MAIL_PROVIDERS)) {
            into.add(new ContentMatch(MatchKind.EMAIL_ADDRESS, tk.start[localStart], tk.end[first], null));
        }
    }

    /**
     * A full stop is a dot in an address when it touches both words ("gmail.com") or neither
     * ("gmail . com"); with a space only after it ("at work. Live …") it ends a sentence.
     */
    private boolean plausibleDot(int markerStart, int markerEnd) {
        Tokens tk = tokens;
        if (!tk.isPunct(markerStart, '.') || markerStart != markerEnd) {
            return true;
        }
        return tk.gapBefore[markerStart] == tk.gapBefore[markerStart + 1];
    }

    /** End of an "at" / "dot" marker starting at {@code t}: the word, the symbol, or either in brackets. */
    private int markerEnd(int t, long word, char symbol) {
        Tokens tk = tokens;
        if (tk.is(t, word) || tk.isPunct(t, symbol)) {
            return t;
        }
        if (t + 2 < tk.count && tk.type[t] == Tokens.PUNCT && (tk.is(t + 1, word) || tk.isPunct(t + 1, symbol))) {
            char open = tk.text.charAt(tk.start[t]);
            char close = open == '(' ? ')' : open == '[' ? ']' : open == '{' ? '}' : open == '<' ? '>' : 0;
            if (close != 0 && tk.isPunct(t + 2, close)) {
                return t + 2;
            }
        }
        return -1;
    }

    /** First word of "jo.smith_1" ending at word {@code t} (joined by . _ - + without spaces). */
    private int compoundStart(int t) {
        Tokens tk = tokens;
        int s = t;
        for (int steps = 0; steps < 8 && s >= 2 && !tk.gapBefore[s] && tk.type[s - 1] == Tokens.PUNCT
                && ".-_+".indexOf(tk.text.charAt(tk.start[s - 1])) >= 0 && !tk.gapBefore[s - 1] && tk.isWord(s - 2); steps++) {
            s -= 2;
        }
        return s;
    }

    /** Last word of "my-site" starting at word {@code t} (joined by hyphens without spaces). */
    private int compoundEnd(int t) {
        Tokens tk = tokens;
        int e = t;
        for (int steps = 0; steps < 8 && tk.isPunct(e + 1, '-') && !tk.gapBefore[e + 1] && tk.isWord(e + 2)
                && !tk.gapBefore[e + 2]; steps++) {
            e += 2;
        }
        return e;
    }

    /** "joatgmaildotcom", "j o a t g m a i l d o t c o m": an address run together into one word. */
    private void compactEmail(int t, List<ContentMatch> into) {
        Tokens tk = tokens;
        if (tk.hasDigit[t] && tk.alnumLength(t) > buf.length) {
            return;
        }
        int n = tk.value(t, buf);
        int domainEnd = -1;
        for (String ending : COMPACT_ENDINGS) {
            if (endsWith(n, ending)) {
                domainEnd = n - ending.length();
                break;
            }
        }
        if (domainEnd < 0) {
            for (String provider : COMPACT_PROVIDERS) {
                if (endsWith(n, provider) && n - provider.length() >= 3
                        && buf[n - provider.length() - 2] == 'a' && buf[n - provider.length() - 1] == 't') {
                    into.add(new ContentMatch(MatchKind.EMAIL_ADDRESS, tk.start[t], tk.end[t], null));
                    return;
                }
            }
            return;
        }
        for (int a = 1; a + 4 <= domainEnd; a++) {
            if (buf[a] == 'a' && buf[a + 1] == 't') {
                into.add(new ContentMatch(MatchKind.EMAIL_ADDRESS, tk.start[t], tk.end[t], null));
                return;
            }
        }
    }

    private boolean endsWith(int n, String suffix) {
        if (n < suffix.length()) {
            return false;
        }
        for (int k = 0; k < suffix.length(); k++) {
            if (buf[n - suffix.length() + k] != suffix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    // ---- social-media handles -----------------------------------------------------------------

    /** The last token of a platform name starting at {@code t} ("snap", "tik tok"), or -1. */
    private int platformEnd(int t) {
        Tokens tk = tokens;
        if (!tk.in(t, PLATFORM_STARTS)) {
            return -1;
        }
        if (tk.in(t, PLATFORMS)) {
            for (int p = 0; p < PLATFORM_FIRST.length; p++) {
                if (tk.is(t, PLATFORM_FIRST[p]) && tk.is(t + 1, PLATFORM_SECOND[p])) {
                    return t + 1;
                }
            }
            return t;
        }
        for (int p = 0; p < PLATFORM_FIRST.length; p++) {
            if (tk.is(t, PLATFORM_FIRST[p]) && tk.is(t + 1, PLATFORM_SECOND[p])) {
                return t + 1;
            }
        }
        return -1;
    }

    /** A handle or a request to talk on the platform named by tokens {@code t..p}; returns the match end or -1. */
    private int handle(int t, int p, List<ContentMatch> into) {
        Tokens tk = tokens;
        // "add me on facebook", "message me up on snap"
        int on = t - 1;
        int me = tk.is(on - 1, UP) ? on - 2 : on - 1;
        if (tk.in(on, ON) && tk.in(me, ME)) {
            int from = tk.isWord(me - 1) ? me - 1 : me;
            int end = Math.max(tk.end[p], handleAfter(t, p, false));
            into.add(new ContentMatch(MatchKind.SOCIAL_HANDLE, tk.start[from], end, null));
            return end;
        }
        // "whatsapp me", "snap me"
        if (t == p && tk.in(t, VERB_PLATFORMS) && tk.in(p + 1, ME)) {
            into.add(new ContentMatch(MatchKind.SOCIAL_HANDLE, tk.start[t], tk.end[p + 1], null));
            return tk.end[p + 1];
        }
        int end = handleAfter(t, p, tk.in(t - 1, MY));
        if (end > 0) {
            into.add(new ContentMatch(MatchKind.SOCIAL_HANDLE, tk.start[t], end, null));
        }
        return end;
    }

    /**
     * The end of a handle after the platform ending at {@code p} ("snap: jo_123", "sc jo123",
     * "insta @jo.x", "my snap is jojo"), or -1. A plain word counts only after a label (":", "=",
     * "my … is"); otherwise it must look like a handle (a digit, "_" or "." in it, or an "@" before it).
     */
    private int handleAfter(int t, int p, boolean owned) {
        Tokens tk = tokens;
        int q = p + 1;
        boolean labelled = owned;
        boolean at = false;
        for (int skipped = 0; skipped < 4 && q < tk.count; skipped++) {
            if (tk.type[q] == Tokens.PUNCT) {
                char c = tk.text.charAt(tk.start[q]);
                if (c == ':' || c == '=' || c == '-' || c == '>' || c == '\u2013') {
                    labelled |= c != '-';
                    q++;
                    continue;
                }
                if (c == '@' && tk.isWord(q + 1) && !tk.gapBefore[q + 1]) {
                    at = true;
                    q++;
                }
                break;
            }
            if (tk.in(q, LABELS)) {
                labelled |= tk.in(q, NAME_LABELS);
                q++;
                continue;
            }
            break;
        }
        if (!tk.isWord(q)) {
            return -1;
        }
        int end = rawHandleEnd(tk.start[q]);
        boolean looksLike = looksLikeHandle(tk.start[q], end);
        if (at ? tk.in(q, NOT_HANDLES) && !looksLike : !looksLike && !(labelled && !tk.in(q, NOT_HANDLES)
                && tk.alnumLength(q) >= 2 && !tk.in(q, PLATFORMS))) {
            return -1;
        }
        return end;
    }

    /** "@jo_123" standing alone (an "@" touching a word before it is an email, found elsewhere). */
    private int loneHandle(int t, List<ContentMatch> into) {
        Tokens tk = tokens;
        if (t > 0 && !tk.gapBefore[t] && tk.type[t - 1] == Tokens.WORD || !tk.isWord(t + 1) || tk.gapBefore[t + 1]
                || tk.in(t + 1, AT_WORDS)) {
            return -1;
        }
        int end = rawHandleEnd(tk.start[t + 1]);
        if (end - tk.start[t + 1] < 2 || isTimeOrNumber(tk.start[t + 1], end) || !hasLetter(tk.start[t + 1], end)) {
            return -1;
        }
        into.add(new ContentMatch(MatchKind.SOCIAL_HANDLE, tk.start[t], end, null));
        return end;
    }

    private int rawHandleEnd(int from) {
        String s = tokens.text;
        int i = from;
        while (i < s.length() && i - from < 40) {
            char c = s.charAt(i);
            boolean alnum = c < 128 && Character.isLetterOrDigit(c);
            if (alnum || c == '_' || (c == '.' && i + 1 < s.length() && Character.isLetterOrDigit(s.charAt(i + 1)))) {
                i++;
            } else {
                break;
            }
        }
        return Math.max(i, tokens.end[tokenAt(from)]);
    }

    private int tokenAt(int offset) {
        // Handles start at a word token; find it by binary search over the token starts.
        int lo = 0;
        int hi = tokens.count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (tokens.start[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private boolean hasLetter(int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isLetter(tokens.text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean looksLikeHandle(int from, int to) {
        String s = tokens.text;
        boolean letter = false;
        boolean marked = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            letter |= Character.isLetter(c);
            marked |= Character.isDigit(c) || c == '_' || c == '.';
        }
        return letter && marked && !isTimeOrNumber(from, to);
    }

    /** "3pm", "10am", "2nd", "90s", "2026": times, ordinals and numbers, not names. */
    private boolean isTimeOrNumber(int from, int to) {
        String s = tokens.text;
        int i = from;
        while (i < to && Tokens.isAsciiDigit(s.charAt(i))) {
            i++;
        }
        if (i == from) {
            return false;
        }
        String rest = s.substring(i, to).toLowerCase(java.util.Locale.ROOT);
        return rest.isEmpty() || rest.equals("am") || rest.equals("pm") || rest.equals("st") || rest.equals("nd")
                || rest.equals("rd") || rest.equals("th") || rest.equals("s") || rest.equals("k") || rest.equals("p")
                || rest.equals("x") || rest.equals("ish") || rest.equals("mins") || rest.equals("min");
    }

    // ---- outward postcodes ---------------------------------------------------------------------

    private void partialPostcode(int t, List<ContentMatch> into) {
        Tokens tk = tokens;
        int from = tk.start[t];
        int length = tk.end[t] - from;
        if (length < 2 || length > 4 || !outwardCode(from, length)) {
            return;
        }
        int next = t + 1;
        if (tk.in(next, ROAD_WORDS) || roadJunction(next)) {
            return;
        }
        int prev = t - 1;
        boolean cue = tk.in(prev, PLACE_CUES) || tk.is(prev, CODE) && tk.is(prev - 1, POST);
        boolean road = tk.is(prev, THE);
        boolean areaAfter = tk.in(next, AREA_WORDS);
        boolean sector = length >= 3 && tk.isWord(next) && tk.gapBefore[next] && tk.end[next] - tk.start[next] == 1
                && tk.hasDigit[next] && !(tk.isWord(next + 1) && !tk.gapBefore[next + 1]) && !tk.isPunct(next + 1, ':')
                && !tk.isPunct(next + 1, '.') && !tk.isPunct(next + 1, '/');
        if (areaAfter || sector || cue && !road) {
            into.add(new ContentMatch(MatchKind.PARTIAL_POSTCODE, from, sector ? tk.end[next] : tk.end[t], null));
        }
    }

    /** "J10" after a code: a motorway junction. */
    private boolean roadJunction(int t) {
        Tokens tk = tokens;
        return tk.isWord(t) && tk.hasDigit[t] && (tk.text.charAt(tk.start[t]) | 0x20) == 'j';
    }

    /** A9, A99, AA9, AA99 of a real postcode area, or A9A / AA9A of central London. */
    private boolean outwardCode(int from, int length) {
        String s = tokens.text;
        int letters = 0;
        while (letters < length && letters < 2 && isAsciiLetter(s.charAt(from + letters))) {
            letters++;
        }
        if (letters == 0 || letters == length || !Tokens.isAsciiDigit(s.charAt(from + letters))) {
            return false;
        }
        long area = 0;
        for (int k = 0; k < letters; k++) {
            area = (area << 5) | ((s.charAt(from + k) | 0x20) - 'a' + 1);
        }
        if (!POSTCODE_AREAS.contains(area)) {
            return false;
        }
        int rest = length - letters - 1;
        if (rest == 0) {
            return true;
        }
        if (rest > 1) {
            return false;
        }
        char last = s.charAt(from + length - 1);
        if (Tokens.isAsciiDigit(last)) {
            return true;
        }
        String a = s.substring(from, from + letters).toUpperCase(java.util.Locale.ROOT);
        return isAsciiLetter(last) && (letters == 1 ? "ENW".contains(a) : a.equals("EC") || a.equals("SW")
                || a.equals("SE") || a.equals("WC") || a.equals("NW"));
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
