package org.kinlink.policy.rules;

import java.time.Instant;

/** The user text of every END_BY finding: the time only, never why. */
final class EndByTexts {
    private EndByTexts() {
    }

    static String user(Instant at) {
        return "This call must end by " + London.clock(at) + ".";
    }
}
