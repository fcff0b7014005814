package org.kinlink.policy.screening;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * Maps each character to a small matching alphabet so that case, accents, spacing and simple
 * obfuscation do not hide a term: letters fold to a..z (accents stripped, common Cyrillic/Greek
 * look-alikes folded), the digits and symbols people use for letters fold to those letters
 * (0→o 1→i 3→e 4→a 5→s 7→t 8→b @→a $→s |→i €→e), and 'l' shares a symbol with 'i' because "1" stands
 * for both. Characters that are not letters or digits map to {@link #SKIP} and are ignored, which
 * is what makes "O a k f i e l d" match "Oakfield".
 */
public final class Folding {
    /** Symbol for characters that are ignored when matching. */
    public static final int SKIP = -1;
    /** Size of the matching alphabet. */
    public static final int ALPHABET = 30;

    private static final int DIGIT_2 = 26;
    private static final int DIGIT_6 = 27;
    private static final int DIGIT_9 = 28;
    private static final int OTHER_LETTER = 29;
    private static final int TABLE_SIZE = 0x0500;
    /** Precomputed symbols for U+0000..U+04FF; built once, never written after class initialisation. */
    private static final byte[] TABLE = buildTable();

    private Folding() {
    }

    /** The matching symbol of a character, or {@link #SKIP}. */
    public static int symbol(char c) {
        if (c < TABLE_SIZE) {
            return TABLE[c];
        }
        if (c >= '\uFF10' && c <= '\uFF5A') {
            // Fullwidth forms are a classic way to dodge filters: fold them to ASCII.
            char ascii = (char) (c - 0xFEE0);
            return TABLE[ascii];
        }
        if (c == '\u20AC') {
            return letter('e'); // "€" for "e"
        }
        if (Character.isSurrogate(c)) {
            return SKIP;
        }
        return Character.isLetterOrDigit(c) ? OTHER_LETTER : SKIP;
    }

    /** The folded form of a term as a symbol array (skipped characters removed). */
    public static int[] fold(String term) {
        int[] out = new int[term.length()];
        int n = 0;
        for (int i = 0; i < term.length(); i++) {
            int s = symbol(term.charAt(i));
            if (s != SKIP) {
                out[n++] = s;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static byte[] buildTable() {
        byte[] t = new byte[TABLE_SIZE];
        for (int c = 0; c < TABLE_SIZE; c++) {
            t[c] = (byte) computeSymbol((char) c);
        }
        return t;
    }

    private static int computeSymbol(char c) {
        switch (c) {
            case '0': return letter('o');
            case '1': return letter('i');
            case '3': return letter('e');
            case '4': return letter('a');
            case '5': return letter('s');
            case '7': return letter('t');
            case '8': return letter('b');
            case '2': return DIGIT_2;
            case '6': return DIGIT_6;
            case '9': return DIGIT_9;
            case '@': return letter('a');
            case '$': return letter('s');
            case '|': return letter('i');
            default: break;
        }
        char lower = Character.toLowerCase(c);
        if (lower >= 'a' && lower <= 'z') {
            return letter(lower);
        }
        char special = special(lower);
        if (special != 0) {
            return letter(special);
        }
        if (!Character.isLetterOrDigit(c)) {
            return SKIP;
        }
        String decomposed = Normalizer.normalize(String.valueOf(lower), Normalizer.Form.NFD);
        char base = decomposed.charAt(0);
        if (base >= 'a' && base <= 'z') {
            return letter(base);
        }
        return OTHER_LETTER;
    }

    private static int letter(char c) {
        // 'l' and 'i' share a symbol: "1" is used for both, so both must match it.
        return c == 'l' ? 'i' - 'a' : c - 'a';
    }

    /** Letters NFD does not decompose, and Cyrillic/Greek look-alikes of Latin letters. */
    private static char special(char lower) {
        return switch (lower) {
            case 'ß' -> 's';
            case 'æ' -> 'a';
            case 'ø' -> 'o';
            case 'œ' -> 'o';
            case 'đ', 'ð' -> 'd';
            case 'ł' -> 'l';
            case 'ı' -> 'i';
            case 'þ' -> 't';
            case 'а', 'α' -> 'a';
            case 'в', 'β' -> 'b';
            case 'е', 'ε' -> 'e';
            case 'к', 'κ' -> 'k';
            case 'м', 'μ' -> 'm';
            case 'н', 'η' -> 'h';
            case 'о', 'ο' -> 'o';
            case 'р', 'ρ' -> 'p';
            case 'с' -> 'c';
            case 'т', 'τ' -> 't';
            case 'у', 'υ' -> 'y';
            case 'х', 'χ' -> 'x';
            case 'і' -> 'i';
            case 'ѕ' -> 's';
            case 'ј' -> 'j';
            case 'ν' -> 'v';
            case 'ι' -> 'i';
            default -> 0;
        };
    }
}
