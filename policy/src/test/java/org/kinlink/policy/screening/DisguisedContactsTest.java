package org.kinlink.policy.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a determined sender writes to pass a contact detail or a place, and the innocent look-alikes. */
class DisguisedContactsTest {
    private final LocationScanner scanner = new LocationScanner();

    private String found(String text) {
        List<ContentMatch> out = new ArrayList<>();
        scanner.scan(text, out);
        return out.stream().map(m -> m.kind() + "=" + m.excerpt(text)).collect(Collectors.joining("; "));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            write to jo at gmail dot com x                         | EMAIL_ADDRESS=jo at gmail dot com
            jo (at) gmail [dot] com                                | EMAIL_ADDRESS=jo (at) gmail [dot] com
            jo @ gmail . com                                       | EMAIL_ADDRESS=jo @ gmail . com
            jo [at] hotmail [dot] co [dot] uk                      | EMAIL_ADDRESS=jo [at] hotmail [dot] co [dot] uk
            JO AT OUTLOOK DOT COM                                  | EMAIL_ADDRESS=JO AT OUTLOOK DOT COM
            jo.smith_1 at yahoo dot co dot uk                      | EMAIL_ADDRESS=jo.smith_1 at yahoo dot co dot uk
            email jo at gmail                                      | EMAIL_ADDRESS=jo at gmail
            j o @ g m a i l . c o m                                | EMAIL_ADDRESS=j o @ g m a i l . c o m
            j o a t g m a i l d o t c o m                          | EMAIL_ADDRESS=j o a t g m a i l d o t c o m
            joatgmaildotcom                                        | EMAIL_ADDRESS=joatgmaildotcom
            jo{at}my-site{dot}org                                  | EMAIL_ADDRESS=jo{at}my-site{dot}org
            oh seven seven double oh nine one two three four five six | PHONE_NUMBER=oh seven seven double oh nine one two three four five six
            07seven00 nine oh oh one two three                     | PHONE_NUMBER=07seven00 nine oh oh one two three
            zero seven seven zero zero nine zero zero one two three | PHONE_NUMBER=zero seven seven zero zero nine zero zero one two three
            ring 0 7 7 0 0 9 0 0 1 2 3                             | PHONE_NUMBER=0 7 7 0 0 9 0 0 1 2 3
            077.00-900_123                                         | PHONE_NUMBER=077.00-900_123
            o7 7oo 9oo l23                                         | PHONE_NUMBER=o7 7oo 9oo l23
            0 7 7 0 0  9 0 0  1 2 3                                | PHONE_NUMBER=0 7 7 0 0  9 0 0  1 2 3
            07700 dash 900 dash 123                                | PHONE_NUMBER=07700 dash 900 dash 123
            oh seven triple seven nine double one two three        | PHONE_NUMBER=oh seven triple seven nine double one two three
            oh seven seven hundred nine hundred one two three      | PHONE_NUMBER=oh seven seven hundred nine hundred one two three
            oh seven seven oh oh twelve thirty four fifty six      | PHONE_NUMBER=oh seven seven oh oh twelve thirty four fifty six
            OhSevenSevenOhOhNineOhOhOneTwoThree                    | PHONE_NUMBER=OhSevenSevenOhOhNineOhOhOneTwoThree
            dim saith saith dim dim naw dim dim un dau tri         | PHONE_NUMBER=dim saith saith dim dim naw dim dim un dau tri
            plus four four seven seven double oh nine oh oh one two three | PHONE_NUMBER=four four seven seven double oh nine oh oh one two three
            we live in SK9 now                                     | PARTIAL_POSTCODE=SK9
            we're near M20                                         | PARTIAL_POSTCODE=M20
            moved to CF10 last month                               | PARTIAL_POSTCODE=CF10
            it's SK9 4 something                                   | PARTIAL_POSTCODE=SK9 4
            in the LS6 area                                        | PARTIAL_POSTCODE=LS6
            post code B12 she said                                 | PARTIAL_POSTCODE=B12
            living in ec1a now                                     | PARTIAL_POSTCODE=ec1a
            in the M25 area                                        | PARTIAL_POSTCODE=M25
            she's in S6 now                                        | PARTIAL_POSTCODE=S6
            snap: jo_123                                           | SOCIAL_HANDLE=snap: jo_123
            sc jo123                                               | SOCIAL_HANDLE=sc jo123
            insta @jo.x                                            | SOCIAL_HANDLE=insta @jo.x
            ig: jojo                                               | SOCIAL_HANDLE=ig: jojo
            tiktok jo.smith                                        | SOCIAL_HANDLE=tiktok jo.smith
            tik tok @jojo                                          | SOCIAL_HANDLE=tik tok @jojo
            add me on facebook                                     | SOCIAL_HANDLE=add me on facebook
            whatsapp me later                                      | SOCIAL_HANDLE=whatsapp me
            my snap is jojo                                        | SOCIAL_HANDLE=snap is jojo
            find me on roblox jo_x                                 | SOCIAL_HANDLE=find me on roblox jo_x
            follow @jojo_22 love                                   | SOCIAL_HANDLE=@jojo_22
            snapchat username = kiddo                              | SOCIAL_HANDLE=snapchat username = kiddo
            message me on whats app                                | SOCIAL_HANDLE=message me on whats app
            """)
    void catchesWhatASenderWritesToGetPast(String text, String expected) {
        assertEquals(expected, found(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Happy birthday, 10 today!",
            "room 12 at the hospital",
            "stuck in M25 motorway traffic",
            "we were stuck on the M25 for hours",
            "near the M6 toll",
            "B4 lunch ok?",
            "in year 10 now",
            "she's in P5 at school",
            "he's at work. Live for the weekend!",
            "I'm at home. Com on then",
            "look at him go",
            "email me when you can @ school",
            "see you @home",
            "meet @ 3pm",
            "one two three four five six seven eight nine ten, ready or not",
            "ten nine eight seven six five four three two one blast off",
            "I saw it on facebook",
            "Nan is on facebook all day",
            "my insta is private now",
            "tiktok is so funny",
            "oh snap, I forgot",
            "I love you to the moon and back",
            "an oak field in spring",
            "the A34 was closed",
            "we watched S4C in Welsh",
            "she got 9 out of 10 and 8 out of 10",
            "I have 2 dogs, 3 cats and 1 rabbit",
            "visit on 12/05/2026 at 10:30",
            "it's £1,250,000 for 3 of them",
            "at 7 or 8 or 9 pm",
            "one day at a time",
            "I won 2 to 1",
            "double trouble",
            "oh no, one more week",
            "we had tea at nans",
            "my snap is broken",
            "I got 100 in maths and 95 in English",
            "see you in 2 weeks",
            "Chapter 11 in book 2",
            "ref A1234BC",
            "Flat 4 in block C",
            "he's in E wing, cell 12",
            "it's 5 past 2",
            "the number 7 bus to town",
            "Love you loads xx x x x",
            "I'm at uni. Net ball later",
            "me and dad @ the park",
            "queue on the M4 J10 again",
            "SK9 is nice",
            "07700 and the weather 900123",
            "tiktok jojo",
            "the server @127.0.0.1",
    })
    void deliversInnocentLookAlikes(String text) {
        assertEquals("", found(text), text);
    }
}
