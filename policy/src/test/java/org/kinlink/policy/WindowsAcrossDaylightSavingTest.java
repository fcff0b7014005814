package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kinlink.policy.Fixtures.CARER;
import static org.kinlink.policy.Fixtures.MOTHER;
import static org.kinlink.policy.Fixtures.MOTHER_ACTS;
import static org.kinlink.policy.Fixtures.open;
import static org.kinlink.policy.Fixtures.weekdays;
import static org.kinlink.policy.Fixtures.window;

import java.time.DayOfWeek;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.TimeWindow;
import org.kinlink.policy.model.Usage;

/**
 * Windows are Europe/London wall-clock times. All moments here are written in UTC to make the
 * daylight-saving arithmetic visible. BST 2026 runs from 29 March 01:00Z to 25 October 01:00Z.
 */
class WindowsAcrossDaylightSavingTest {

    private static TimeWindow parse(String spec) {
        // "SUN 00:30-03:00" or "WEEKDAYS 09:00-15:00"
        String[] parts = spec.split(" ");
        String[] times = parts[1].split("-");
        if (parts[0].equals("WEEKDAYS")) {
            return weekdays(times[0], times[1]);
        }
        return window(times[0], times[1], DayOfWeek.valueOf(switch (parts[0]) {
            case "SUN" -> "SUNDAY";
            case "MON" -> "MONDAY";
            default -> throw new IllegalArgumentException(parts[0]);
        }));
    }

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            WEEKDAYS 09:00-15:00 | 2026-01-05T09:30:00Z | PERMIT
            WEEKDAYS 09:00-15:00 | 2026-01-05T08:30:00Z | DENY
            WEEKDAYS 09:00-15:00 | 2026-05-04T08:30:00Z | PERMIT
            WEEKDAYS 09:00-15:00 | 2026-05-04T14:30:00Z | DENY
            WEEKDAYS 09:00-15:00 | 2026-03-30T08:00:00Z | PERMIT
            WEEKDAYS 09:00-15:00 | 2026-10-26T08:30:00Z | DENY
            SUN 00:30-03:00      | 2026-03-29T00:29:00Z | DENY
            SUN 00:30-03:00      | 2026-03-29T00:30:00Z | PERMIT
            SUN 00:30-03:00      | 2026-03-29T01:30:00Z | PERMIT
            SUN 00:30-03:00      | 2026-03-29T02:00:00Z | DENY
            SUN 01:30-05:00      | 2026-03-29T00:59:00Z | DENY
            SUN 01:30-05:00      | 2026-03-29T01:00:00Z | PERMIT
            SUN 00:00-01:30      | 2026-10-25T00:20:00Z | PERMIT
            SUN 00:00-01:30      | 2026-10-25T00:40:00Z | DENY
            SUN 00:00-01:30      | 2026-10-25T01:20:00Z | DENY
            SUN 01:30-02:30      | 2026-10-25T00:40:00Z | DENY
            SUN 01:30-02:30      | 2026-10-25T01:45:00Z | PERMIT
            SUN 01:30-02:30      | 2026-10-25T02:30:00Z | DENY
            """)
    void aMessageIsInsideOrOutsideItsWindow(String spec, String at, Effect effect) {
        ContactPolicy p = open().windows(parse(spec)).build();
        Decision d = Fixtures.ENGINE.decide(Fixtures.message(p, CARER, Instant.parse(at), "hi"));
        assertEquals(effect, d.effect(), d.toJson(true));
    }

    @ParameterizedTest(name = "{0} from {1} ends by {2}")
    @CsvSource(delimiter = '|', textBlock = """
            SUN 00:30-03:00      | 2026-03-29T00:45:00Z | 2026-03-29T02:00:00Z
            SUN 00:00-03:00      | 2026-10-24T23:30:00Z | 2026-10-25T03:00:00Z
            WEEKDAYS 09:00-15:00 | 2026-05-04T13:00:00Z | 2026-05-04T14:00:00Z
            WEEKDAYS 09:00-15:00 | 2026-01-05T13:00:00Z | 2026-01-05T15:00:00Z
            """)
    void aCallMustEndInsideItsWindow(String spec, String at, String endBy) {
        ContactPolicy p = open().windows(parse(spec)).build();
        DecisionRequest open = Fixtures.request(Action.JOIN_CALL, Instant.parse(at)).actor(MOTHER_ACTS)
                .prisoner(MOTHER).person(CARER, MOTHER, p, Usage.NONE).build();
        assertEquals(Instant.parse(endBy), Fixtures.ENGINE.decide(open).endBy().orElseThrow());
    }

    @ParameterizedTest(name = "call {0} for {1} min -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-05-04T10:30:00Z | 60 | PERMIT
            2026-05-04T10:30:00Z | 210 | PERMIT
            2026-05-04T10:30:00Z | 211 | DENY
            2026-05-04T07:05:00Z | 25 | PERMIT
            2026-05-04T07:05:00Z | 26 | DENY
            2026-05-04T07:30:00Z | 10 | DENY
            2026-05-04T13:30:00Z | 30 | PERMIT
            2026-05-04T13:30:00Z | 31 | DENY
            """)
    void touchingWindowsMergeAndABookingMustFit(String start, int minutes, Effect effect) {
        // 09:00-12:00 and 12:00-15:00 London (BST: 08:00Z-11:00Z-14:00Z) are one window; 08:00-08:30 is apart.
        ContactPolicy p = open().windows(weekdays("12:00", "15:00"), weekdays("09:00", "12:00"), weekdays("08:00", "08:30"))
                .build();
        Decision d = Fixtures.ENGINE.decide(Fixtures.call(Action.BOOK_CALL, p, CARER, Instant.parse(start), minutes));
        assertEquals(effect, d.effect(), d.toJson(true));
    }
}
