package org.kinlink.policy.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TermScreenTest {
    private final TermScreen screen = new TermScreen(List.of("Oakfield Primary", "Brook Street", "Oakfield"),
            List.of("kill"));

    private List<ContentMatch> scan(String text) {
        List<ContentMatch> out = new ArrayList<>();
        screen.scan(text, out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "she goes to Oakfield now",
            "she goes to OAKFIELD now",
            "she goes to oakfield",
            "O a k f i e l d",
            "O-a-k-f-i-e-l-d!",
            "0akfie1d",
            "04kf13ld",
            "Óakfíeld",
            "Oak field",
            "Оakfield", // Cyrillic О
            "Ｏａｋｆｉｅｌｄ", // fullwidth
            "the Oakfields",
            "Oakfield's fair",
            "brookstreet",
            "Br00k $treet",
            "Br\u200Book Street", // zero-width space inside
    })
    void findsSensitiveTermsHoweverDisguised(String text) {
        assertTrue(scan(text).stream().anyMatch(m -> m.kind() == MatchKind.SENSITIVE_TERM), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "she's at 0akfield Pr1mary", "Oak field Primary", "OAKFIELD  PRIMARY", "oakfield-primary",
            "0 a k f i e l d  P r 1 m a r y", "O.a.k.f.i.e.l.d P.r.i.m.a.r.y", "Oakf|eld Pr|mary", "0akf13ld Prim4ry",
            "Oakfield_Primary", "Oakfi€ld Primary", "oakfield\nprimary", "OakfieldPrimary",
    })
    void findsAMultiWordTermHoweverDisguised(String text) {
        TermScreen school = new TermScreen(List.of("Oakfield Primary"), List.of());
        List<ContentMatch> out = new ArrayList<>();
        school.scan(text, out);
        assertEquals(1, out.size(), text);
        assertEquals("Oakfield Primary", out.get(0).term());
        assertEquals(MatchKind.SENSITIVE_TERM, out.get(0).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "an oak field in spring", "the oak field by the primary school", "Oakfield Road", "primary colours",
            "Oakfield Primaryschool", "Oakley Primary"})
    void aMultiWordTermNeedsAllOfItsWords(String text) {
        TermScreen school = new TermScreen(List.of("Oakfield Primary"), List.of());
        List<ContentMatch> out = new ArrayList<>();
        school.scan(text, out);
        assertEquals(List.of(), out, text);
    }

    @Test
    void spacingToleranceIsDeliberate() {
        // Spacing-insensitive matching means "oak field" names Oakfield: staff review it. Documented trade-off.
        assertEquals(1, scan("an oak field in spring").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "we went to the oakfieldshire show", "Oakfielder", "skill up", "killjoy", "Brook", "Street", "",
            "Primary school is fun"})
    void respectsWordBoundaries(String text) {
        assertEquals(List.of(), scan(text), text);
    }

    @Test
    void reportsTheTermAndOffsetsInTheOriginalText() {
        String text = "I saw her at O a k f i e l d Primary today";
        List<ContentMatch> matches = scan(text);
        ContentMatch longest = matches.stream().filter(m -> m.term().equals("Oakfield Primary")).findFirst().orElseThrow();
        assertEquals(text.indexOf('O'), longest.start());
        assertEquals(text.indexOf(" today"), longest.end());
        assertEquals("O a k f i e l d Primary", longest.excerpt(text));
    }

    @Test
    void blockedTermsAreTaggedAsBlocked() {
        List<ContentMatch> matches = scan("I will k1ll time");
        assertEquals(1, matches.size());
        assertEquals(MatchKind.BLOCKED_TERM, matches.get(0).kind());
        assertEquals("BLOCKED_TERM", matches.get(0).rule());
    }

    @Test
    void emptyScreenMatchesNothing() {
        List<ContentMatch> out = new ArrayList<>();
        TermScreen.EMPTY.scan("Oakfield", out);
        assertTrue(out.isEmpty());
        assertTrue(new TermScreen(List.of("!!!"), List.of()).isEmpty());
    }
}
