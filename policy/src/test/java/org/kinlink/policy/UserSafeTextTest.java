package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Contact;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.OrderEffect;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.Reason;
import org.kinlink.policy.model.Usage;
import org.kinlink.policy.rules.Rules;
import org.kinlink.policy.screening.ContentMatch;

/**
 * No user text names a court order, a risk assessment, a sensitive term, an address or who asked for
 * a restriction: every rule is triggered (by every case of the rule and story tables, plus a policy
 * loaded with orders and terms) and every user-facing string is checked.
 */
class UserSafeTextTest {
    private static final List<String> FORBIDDEN_WORDS = List.of("court", "order", "orders", "risk", "assessment",
            "assessed", "clearance", "cleared", "safeguarding", "offence", "conviction", "social worker", "asked",
            "requested", "suspended", "suspension", "disclosure", "sensitive", "blocked", "never", "father",
            "molestation", "prohibited");
    /** Rule ids that would tell a user about an order, a clearance or a sensitive term. */
    private static final Set<String> UNSAFE_IDS = Set.of("COURT_ORDER", "CHILD_CONTACT_CLEARANCE", "SENSITIVE_TERM",
            "NEVER_TOGETHER", "CONTACT_NOT_APPROVED", "INVALID_POLICY");

    /** A policy that holds everything a user must not learn. */
    private static final ContactPolicy LOADED = Fixtures.open()
            .courtOrders(new CourtOrder("NON_MOLESTATION", OrderEffect.NO_DIRECT_CONTACT, null, LocalDate.of(2027, 6, 30),
                    "FC-2026-118"))
            .neverWith("person:p-father-01")
            .content(Fixtures.terms(List.of("Oakfield Primary", "Brook Street"), List.of("Blackthorn Estate"))).build();

    private static List<DecisionRequest> requests() {
        List<DecisionRequest> all = new ArrayList<>();
        RulesTest.cases().forEach(c -> all.add(c.request()));
        StoriesTest.stories().forEach(s -> all.add(s.request()));
        all.add(Fixtures.message(LOADED, "we're at 0akfield Primary, 12 Brook Street, M1 1AE, near Blackthorn Estate"));
        all.add(Fixtures.call(Action.BOOK_CALL, LOADED, Fixtures.CARER, Fixtures.MONDAY_10, 30));
        all.add(Fixtures.message(Fixtures.open().oversight(Oversight.SUPERVISED).build(), "invalid policy"));
        return all;
    }

    @Test
    void noUserTextGivesAnythingAway() {
        Map<String, Integer> triggered = new HashMap<>();
        for (DecisionRequest request : requests()) {
            Decision decision = Fixtures.ENGINE.decide(request);
            Set<String> secrets = secretsOf(request, decision);
            String userJson = decision.toJson(false);
            List<String> userStrings = new ArrayList<>();
            userStrings.add(userJson);
            for (Reason r : decision.reasons()) {
                triggered.merge(r.rule(), 1, Integer::sum);
                userStrings.add(r.userText());
                userStrings.add(r.publicCode());
                assertFalse(UNSAFE_IDS.contains(r.publicCode()), r.publicCode());
            }
            for (String text : userStrings) {
                String lower = text.toLowerCase(Locale.ROOT);
                for (String word : FORBIDDEN_WORDS) {
                    assertFalse(Pattern.compile("\\b" + Pattern.quote(word) + "\\b").matcher(lower).find(),
                            "\"" + word + "\" in user text " + text + " / staff view " + decision.toJson(true));
                }
                for (String secret : secrets) {
                    assertFalse(lower.contains(secret.toLowerCase(Locale.ROOT)),
                            "\"" + secret + "\" in user text " + text);
                }
                for (String id : UNSAFE_IDS) {
                    assertFalse(text.contains(id), id + " in user text " + text);
                }
            }
            assertFalse(userJson.contains("\"matches\""), "matches are staff-only");
        }
        for (String rule : Rules.IDS) {
            assertTrue(triggered.containsKey(rule), rule + " was never triggered");
        }
    }

    /** Everything in this request a user must not see: order refs and kinds, terms, matched content, people. */
    private static Set<String> secretsOf(DecisionRequest request, Decision decision) {
        Set<String> secrets = new HashSet<>();
        for (Contact c : request.contacts()) {
            ContactPolicy p = c.policy();
            for (CourtOrder o : p.courtOrders()) {
                secrets.add(o.ref());
                secrets.add(o.kind());
                secrets.add(o.kind().replace('_', ' '));
                secrets.add(o.effect().name());
            }
            secrets.addAll(p.content().sensitiveTerms());
            secrets.addAll(p.content().blockedTerms());
            secrets.addAll(p.neverWith());
            secrets.add(c.partyId());
            secrets.add(c.prisonerId());
        }
        for (Reason r : decision.reasons()) {
            for (ContentMatch m : r.matches()) {
                secrets.add(m.excerpt(request.content().text()));
            }
        }
        secrets.removeIf(s -> s.length() < 3);
        return secrets;
    }

    @Test
    void theLoadedPolicyReallyTriggersItsRules() {
        Decision message = Fixtures.ENGINE.decide(Fixtures.message(LOADED,
                "we're at 0akfield Primary, 12 Brook Street, M1 1AE, near Blackthorn Estate"));
        assertTrue(message.hasReason("SENSITIVE_TERM") && message.hasReason("BLOCKED_TERM")
                && message.hasReason("LOCATION_DISCLOSURE"), message.toJson(true));
        Decision call = Fixtures.ENGINE.decide(Fixtures.request(Action.BOOK_CALL, Fixtures.MONDAY_10)
                .actor(Fixtures.MOTHER_ACTS).prisoner(Fixtures.MOTHER).person(Fixtures.CARER, Fixtures.MOTHER, LOADED, Usage.NONE)
                .call(Fixtures.MONDAY_10, Duration.ofMinutes(30)).build());
        assertTrue(call.hasReason("COURT_ORDER"), call.toJson(true));
        assertTrue(call.toJson(true).contains("FC-2026-118"), "staff see the order");
    }
}
