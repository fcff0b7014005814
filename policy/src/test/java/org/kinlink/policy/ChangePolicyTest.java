package org.kinlink.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinlink.policy.Fixtures.MONDAY_10;
import static org.kinlink.policy.Fixtures.MOTHER;
import static org.kinlink.policy.Fixtures.open;
import static org.kinlink.policy.Fixtures.staff;
import static org.kinlink.policy.Fixtures.weekdays;
import static org.kinlink.policy.Fixtures.window;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.Clearance;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.ContactState;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.CourtOrder;
import org.kinlink.policy.model.Effect;
import org.kinlink.policy.model.Limits;
import org.kinlink.policy.model.OrderEffect;
import org.kinlink.policy.model.Oversight;
import org.kinlink.policy.model.PolicyChange;
import org.kinlink.policy.model.Role;
import org.kinlink.policy.model.SupervisorRole;
import org.kinlink.policy.rules.Loosening;

/**
 * CHANGE_POLICY by direction: every staff role of the establishment may make contact stricter
 * (security included: intelligence must not wait); loosening needs an officer, family worker or
 * admin, and raising clearance a family worker or admin.
 */
class ChangePolicyTest {
    private static final ContactPolicy BASE = open().windows(weekdays("09:00", "15:00"))
            .limits(Limits.of(2, 30, 10)).neverWith("person:p-father-01")
            .content(new ContentRules(false, true, List.of("Oakfield Primary"), List.of())).build();

    private static Decision decide(Role role, PolicyChange change) {
        return Fixtures.ENGINE.decide(DecisionRequest.builder(Action.CHANGE_POLICY, MONDAY_10).actor(staff(role))
                .prisoner(MOTHER).change(change).enforceable(java.util.Set.of()).build());
    }

    private static PolicyChange to(ContactPolicy after) {
        return PolicyChange.contact(BASE, after);
    }

    private static List<ContactPolicy> tighter() {
        Instant tomorrow = MONDAY_10.plusSeconds(86_400);
        return List.of(
                BASE.toBuilder().state(ContactState.SUSPENDED).build(),
                BASE.toBuilder().state(ContactState.SUSPENDED).suspendedUntil(tomorrow).build(),
                BASE.toBuilder().state(ContactState.REVOKED).build(),
                BASE.toBuilder().channels(Channel.MESSAGE).build(),
                BASE.toBuilder().windows(weekdays("10:00", "12:00")).build(),
                BASE.toBuilder().limits(Limits.of(1, 15, 10)).build(),
                BASE.toBuilder().oversight(Oversight.MONITORED).build(),
                BASE.toBuilder().oversight(Oversight.SUPERVISED).supervisor(SupervisorRole.SCHOOL).build(),
                BASE.toBuilder().neverWith("person:p-father-01", "prisoner:E2468KL").build(),
                BASE.toBuilder().courtOrders(new CourtOrder("NON_MOLESTATION", OrderEffect.NO_CONTACT, null,
                        LocalDate.of(2027, 6, 30), "FC-2026-118")).build(),
                BASE.toBuilder().content(new ContentRules(true, true, List.of("Oakfield Primary", "Brook Street"),
                        List.of("parole"))).build(),
                BASE);
    }

    private static List<ContactPolicy> looser() {
        return List.of(
                BASE.toBuilder().windows(weekdays("09:00", "16:00")).build(),
                BASE.toBuilder().windows(List.of()).build(),
                BASE.toBuilder().windows(weekdays("09:00", "15:00"), window("10:00", "11:00", DayOfWeek.SATURDAY)).build(),
                BASE.toBuilder().limits(Limits.of(3, 30, 10)).build(),
                BASE.toBuilder().limits(Limits.NONE).build(),
                BASE.toBuilder().oversight(Oversight.PRIVILEGED).build(),
                BASE.toBuilder().neverWith(List.of()).build(),
                BASE.toBuilder().content(new ContentRules(false, false, List.of("Oakfield Primary"), List.of())).build(),
                BASE.toBuilder().content(new ContentRules(false, true, List.of(), List.of())).build(),
                BASE.toBuilder().relationship(org.kinlink.policy.model.Relationship.LEGAL).build());
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"OFFICER", "FAMILY_WORKER", "SECURITY", "ADMIN"})
    void everyStaffRoleMayTighten(Role role) {
        for (ContactPolicy after : tighter()) {
            assertTrue(Loosening.of(to(after)).isEmpty(), String.format("loosens? %s", after));
            assertEquals(Effect.PERMIT, decide(role, to(after)).effect(), String.format("%s tightens to %s", role, after));
        }
    }

    @Test
    void securityMayNotLoosenAndIsToldWhatLoosensAndWhoCan() {
        for (ContactPolicy after : looser()) {
            Decision d = decide(Role.SECURITY, to(after));
            assertEquals(Effect.DENY, d.effect(), String.format("security loosens to %s", after));
            assertEquals("STAFF_ONLY", d.reasons().get(0).rule());
            assertTrue(d.reasons().get(0).staffText().contains("an officer, family worker or admin"), d.reasons().get(0).staffText());
        }
        ContactPolicy addsVideo = BASE.toBuilder().channels(Channel.MESSAGE).build();
        Decision back = decide(Role.SECURITY, PolicyChange.contact(addsVideo, BASE));
        assertEquals(Effect.DENY, back.effect());
        assertTrue(back.reasons().get(0).staffText().contains("channels added"), back.reasons().get(0).staffText());
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"OFFICER", "FAMILY_WORKER", "ADMIN"})
    void officersFamilyWorkersAndAdminsMayLoosen(Role role) {
        for (ContactPolicy after : looser()) {
            assertEquals(Effect.PERMIT, decide(role, to(after)).effect());
        }
    }

    @Test
    void approvingAndReinstatingAreLoosening() {
        ContactPolicy pending = BASE.toBuilder().state(ContactState.PENDING).build();
        ContactPolicy suspended = BASE.toBuilder().state(ContactState.SUSPENDED).build();
        Instant later = MONDAY_10.plusSeconds(7 * 86_400);
        ContactPolicy suspendedAWeek = BASE.toBuilder().state(ContactState.SUSPENDED).suspendedUntil(later).build();
        assertEquals(Effect.DENY, decide(Role.SECURITY, PolicyChange.contact(pending, BASE)).effect());
        Decision reinstate = decide(Role.SECURITY, PolicyChange.contact(suspended, BASE));
        assertEquals(Effect.DENY, reinstate.effect());
        assertTrue(reinstate.reasons().get(0).staffText().contains("reinstated"), reinstate.reasons().get(0).staffText());
        // ending an open suspension at a date, or ending a timed one sooner, brings contact back: loosening
        assertEquals(Effect.DENY, decide(Role.SECURITY, PolicyChange.contact(suspended, suspendedAWeek)).effect());
        ContactPolicy sooner = suspendedAWeek.toBuilder().suspendedUntil(MONDAY_10.plusSeconds(86_400)).build();
        assertEquals(Effect.DENY, decide(Role.SECURITY, PolicyChange.contact(suspendedAWeek, sooner)).effect());
        // extending a suspension, or making it open-ended, is stricter
        assertEquals(Effect.PERMIT, decide(Role.SECURITY, PolicyChange.contact(sooner, suspendedAWeek)).effect());
        assertEquals(Effect.PERMIT, decide(Role.SECURITY, PolicyChange.contact(suspendedAWeek, suspended)).effect());
        assertEquals(Effect.PERMIT, decide(Role.OFFICER, PolicyChange.contact(suspended, BASE)).effect());
    }

    @Test
    void clearanceMayBeLoweredByAnyStaffButRaisedOnlyByAFamilyWorkerOrAdmin() {
        for (Role role : List.of(Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN)) {
            assertEquals(Effect.PERMIT, decide(role, PolicyChange.clearance(Clearance.FULL, Clearance.NONE)).effect());
        }
        for (Role role : List.of(Role.OFFICER, Role.SECURITY)) {
            Decision d = decide(role, PolicyChange.clearance(Clearance.NONE, Clearance.WRITTEN));
            assertEquals(Effect.DENY, d.effect());
            assertTrue(d.reasons().get(0).staffText().contains("a family worker or admin"), d.reasons().get(0).staffText());
        }
        for (Role role : List.of(Role.FAMILY_WORKER, Role.ADMIN)) {
            assertEquals(Effect.PERMIT, decide(role, PolicyChange.clearance(Clearance.NONE, Clearance.FULL)).effect());
        }
    }

    @Test
    void aChangeOfUnknownDirectionIsDecidedAsLoosening() {
        assertEquals(Effect.DENY, decide(Role.SECURITY, null).effect());
        assertEquals(Effect.PERMIT, decide(Role.OFFICER, null).effect());
    }

    @Test
    void anotherEstablishmentsSecurityMayNotEvenTighten() {
        Decision d = Fixtures.ENGINE.decide(DecisionRequest.builder(Action.CHANGE_POLICY, MONDAY_10)
                .actor(org.kinlink.policy.model.Actor.staff("staff:x", Role.SECURITY, "SEND")).prisoner(MOTHER)
                .change(to(BASE.toBuilder().state(ContactState.SUSPENDED).build())).enforceable(java.util.Set.of()).build());
        assertEquals(Effect.DENY, d.effect());
    }
}
