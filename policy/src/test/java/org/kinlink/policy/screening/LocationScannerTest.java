package org.kinlink.policy.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocationScannerTest {
    private final LocationScanner scanner = new LocationScanner();

    private List<ContentMatch> scan(String text) {
        List<ContentMatch> out = new ArrayList<>();
        scanner.scan(text, out);
        return out;
    }

    private String found(String text) {
        return scan(text).stream().map(m -> m.kind() + "=" + m.excerpt(text)).collect(Collectors.joining("; "));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            we moved to M1 1AE last week              | POSTCODE=M1 1AE
            post it to sw1a 1aa please                | POSTCODE=sw1a 1aa
            CR26XH is the one                         | POSTCODE=CR26XH
            it's B33 8TH                              | POSTCODE=B33 8TH
            DN55 1PT.                                 | POSTCODE=DN55 1PT
            we live at 12 Brook Street now            | STREET_ADDRESS=12 Brook Street
            221b baker st                             | STREET_ADDRESS=221b baker st
            round the corner on Abbey Road            | STREET_ADDRESS=Abbey Road
            flat at 4 Mill Close                      | STREET_ADDRESS=4 Mill Close
            ring 07700 900123 tonight                 | PHONE_NUMBER=07700 900123
            call +44 7700 900123                      | PHONE_NUMBER=+44 7700 900123
            or +44 (0)20 7946 0958                    | PHONE_NUMBER=+44 (0)20 7946 0958
            landline 020-7946-0958                    | PHONE_NUMBER=020-7946-0958
            US cousin +1 (555) 123-4567               | PHONE_NUMBER=+1 (555) 123-4567
            from abroad 0033 1 42 68 53 00            | PHONE_NUMBER=0033 1 42 68 53 00
            mobile 07700900123                        | PHONE_NUMBER=07700900123
            mail jade.s+x@example.co.uk ok            | EMAIL_ADDRESS=jade.s+x@example.co.uk
            see https://example.org/a?b=c.            | LINK=https://example.org/a?b=c
            go to www.oakfield.sch.uk                 | LINK=www.oakfield.sch.uk
            look at bit.ly/abc123 now                 | LINK=bit.ly/abc123
            it's on facebook.com                      | LINK=facebook.com
            """)
    void findsLocationDisclosures(String text, String expected) {
        assertEquals(expected, found(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "I scored 10 out of 10",
            "see you at 3pm",
            "see you at 3 pm on the 12th",
            "I have 2 dogs in the park",
            "we walked down the road to the shops",
            "it's very close now",
            "By the way, I love you",
            "my number is in the book",
            "the year 2026 was hard",
            "Visit St Mary's church",
            "Love you 100 times 1000",
            "it costs £1,250,000",
            "ref A1234BC",
            "B4 lunch ok?",
            "I got 3 A*s and 2 Bs",
            "e.g. this, i.e. that, etc.",
            "end of term.Then home",
            "we went to the Street Fair",
            "email me when you can @ school",
            "12/05/2026 at 10:30",
    })
    void leavesOrdinaryMessagesAlone(String text) {
        assertEquals("", found(text), text);
    }

    @Test
    void reportsOffsetsIntoTheOriginalText() {
        String text = "Hi! Our new place: 12 Brook Street, M1 1AE";
        List<ContentMatch> matches = scan(text);
        assertEquals(2, matches.size(), matches.toString());
        ContentMatch postcode = matches.stream().filter(m -> m.kind() == MatchKind.POSTCODE).findFirst().orElseThrow();
        assertEquals(text.indexOf("M1 1AE"), postcode.start());
        assertEquals(text.length(), postcode.end());
        assertTrue(matches.stream().allMatch(m -> m.rule().equals("LOCATION_DISCLOSURE")));
    }

    @Test
    void anEmailIsNotAlsoReportedAsALink() {
        assertEquals("EMAIL_ADDRESS=mum@example.com", found("mum@example.com"));
    }

    @Test
    void adversarialInputStaysLinear() {
        // Inputs that make naive regular expressions backtrack: long digit/separator runs, '@' floods, dots.
        String[] nasty = {
                "1 ".repeat(3000), "@".repeat(5000), "a.".repeat(3000), "a@".repeat(3000),
                "1-(".repeat(2000), "A1 ".repeat(2000), "12 ab ".repeat(1000) + "street"};
        for (String text : nasty) {
            scan(text); // completes; the JMH benchmark measures speed, tests never time anything
        }
        assertTrue(scan("1 ".repeat(3000)).stream().allMatch(m -> m.kind() == MatchKind.PHONE_NUMBER));
    }
}
