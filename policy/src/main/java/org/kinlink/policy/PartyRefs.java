package org.kinlink.policy;

/**
 * How a policy document names a party (in {@code never_with}) versus how the engine does. Documents
 * use the ids the API gives: a prisoner's prison number ({@code E2468KL}) and a person's id
 * ({@code pe-father}). The engine keeps a kind prefix ({@code prisoner:E2468KL}, {@code person:pe-father})
 * so a person id can never be mistaken for a prison number. The older prefixed document form, and
 * {@code pr-<prison number>}, are still read, so stored documents migrate when next written.
 */
public final class PartyRefs {
    private static final String PRISONER = "prisoner:";
    private static final String PERSON = "person:";

    private PartyRefs() {
    }

    /** The engine id for a document's reference. */
    public static String toEngine(String ref) {
        if (ref.startsWith(PRISONER) || ref.startsWith(PERSON)) {
            return ref;
        }
        if (isPrisonNumber(ref)) {
            return PRISONER + ref;
        }
        if (ref.startsWith("pr-") && isPrisonNumber(ref.substring(3))) {
            return PRISONER + ref.substring(3);
        }
        return PERSON + ref;
    }

    /** The document form of an engine id: the prison number or the person id. */
    public static String toDocument(String engineId) {
        if (engineId.startsWith(PRISONER)) {
            return engineId.substring(PRISONER.length());
        }
        if (engineId.startsWith(PERSON)) {
            return engineId.substring(PERSON.length());
        }
        return engineId;
    }

    /** A letter, four digits, two letters (HM Prison Service's form, e.g. A1234BC). */
    public static boolean isPrisonNumber(String s) {
        if (s.length() != 7) {
            return false;
        }
        for (int i = 0; i < 7; i++) {
            char c = s.charAt(i);
            boolean ok = i >= 1 && i <= 4 ? c >= '0' && c <= '9' : c >= 'A' && c <= 'Z';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
