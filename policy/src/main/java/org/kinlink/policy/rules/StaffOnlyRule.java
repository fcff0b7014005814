package org.kinlink.policy.rules;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kinlink.policy.DecisionRequest;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.PolicyChange;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Role;

/**
 * STAFF_ONLY: the asker's role may not take this action, or they are not a party to it, or (staff)
 * it is not their establishment's. Who may do what:
 * <ul>
 *   <li>SEND_MESSAGE, SEND_PHOTO: the prisoner or person outside who is a party.</li>
 *   <li>BOOK_CALL, JOIN_CALL: a party; or OFFICER / FAMILY_WORKER of a prisoner's establishment
 *       (booking on someone's behalf, or joining as the in-room supervisor).</li>
 *   <li>MONITOR_CALL, VIEW_RECORDING: SECURITY of a prisoner's establishment (either prison, for
 *       inter-prison calls).</li>
 *   <li>CHANGE_POLICY: a change that only tightens (see {@link Loosening}) is open to every staff role
 *       of the prisoners' establishment, SECURITY included: intelligence must not wait for an officer.
 *       Loosening (approve, reinstate, widen, or a change whose direction is not given) needs an
 *       OFFICER, FAMILY_WORKER or ADMIN; raising child-contact clearance follows an assessment, so it
 *       needs a FAMILY_WORKER or ADMIN. Never people outside: a children's social worker asks prison
 *       staff to restrict.</li>
 * </ul>
 */
public final class StaffOnlyRule implements Rule {
    /** The stable id. */
    public static final String ID = "STAFF_ONLY";
    static final String USER_TEXT = "You can't do this.";

    private static final Set<Role> PARTIES = EnumSet.of(Role.PRISONER, Role.PERSON_OUTSIDE);
    private static final Set<Role> CALL_STAFF = EnumSet.of(Role.OFFICER, Role.FAMILY_WORKER);
    private static final Set<Role> SECURITY = EnumSet.of(Role.SECURITY);
    private static final Set<Role> POLICY_STAFF = EnumSet.of(Role.OFFICER, Role.FAMILY_WORKER, Role.ADMIN);
    private static final Set<Role> ALL_STAFF = EnumSet.of(Role.OFFICER, Role.FAMILY_WORKER, Role.SECURITY, Role.ADMIN);
    private static final Set<Role> ASSESSORS = EnumSet.of(Role.FAMILY_WORKER, Role.ADMIN);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(Evaluation facts, Findings out) {
        DecisionRequest request = facts.request();
        Actor actor = request.actor();
        Action action = request.action();
        Set<Role> staff = switch (action) {
            case SEND_MESSAGE, SEND_PHOTO -> EnumSet.noneOf(Role.class);
            case BOOK_CALL, JOIN_CALL -> CALL_STAFF;
            case MONITOR_CALL, VIEW_RECORDING -> SECURITY;
            case CHANGE_POLICY -> ALL_STAFF;
        };
        boolean partiesMayAct = action.isContact();
        if (PARTIES.contains(actor.role())) {
            if (!partiesMayAct) {
                deny(out, actor.role() + " may not " + action + "; it needs " + staff + ".");
            } else if (!isParty(request, actor)) {
                deny(out, actor.id() + " (" + actor.role() + ") is not a party to this " + describe(action) + ".");
            }
            return;
        }
        if (!staff.contains(actor.role())) {
            deny(out, actor.role() + " may not " + action + "; it needs "
                    + (staff.isEmpty() ? "a party to the contact" : staff.toString()) + ".");
            return;
        }
        boolean everyPrisoner = action == Action.CHANGE_POLICY;
        if (!sameEstablishment(request, actor, everyPrisoner)) {
            deny(out, actor.id() + " (" + actor.role() + ", establishment " + actor.establishment()
                    + ") is not staff of " + (everyPrisoner ? "the" : "any") + " prisoner's establishment.");
            return;
        }
        if (action == Action.CHANGE_POLICY) {
            loosening(request.change(), actor.role(), out);
        }
    }

    /** Loosening needs a role that answers for it; tightening (an empty list) is open to every staff role. */
    private static void loosening(PolicyChange change, Role role, Findings out) {
        if (change == null) {
            if (!POLICY_STAFF.contains(role)) {
                deny(out, role + " may only make contact stricter; other changes need an officer, family worker or admin.");
            }
            return;
        }
        List<String> looser = Loosening.of(change);
        Set<Role> needed = change.isClearance() ? ASSESSORS : POLICY_STAFF;
        if (!looser.isEmpty() && !needed.contains(role)) {
            deny(out, role + " may only make contact stricter; this change loosens it (" + String.join("; ", looser)
                    + "), which needs " + (change.isClearance() ? "a family worker or admin" : "an officer, family worker or admin") + ".");
        }
    }

    private static boolean isParty(DecisionRequest request, Actor actor) {
        if (actor.role() == Role.PRISONER) {
            return request.prisoners().stream().anyMatch(p -> p.id().equals(actor.id()));
        }
        return request.people().stream().map(Person::id).anyMatch(actor.id()::equals);
    }

    private static boolean sameEstablishment(DecisionRequest request, Actor actor, boolean everyPrisoner) {
        if (actor.establishment() == null) {
            return false;
        }
        boolean any = false;
        boolean all = true;
        for (Prisoner p : request.prisoners()) {
            boolean same = p.establishment().equals(actor.establishment());
            any |= same;
            all &= same;
        }
        return everyPrisoner ? all : any;
    }

    private static String describe(Action action) {
        return action.isCall() ? "call" : action.isMessage() ? "conversation" : "contact";
    }

    private static void deny(Findings out, String staffText) {
        out.deny(ID, staffText, USER_TEXT, PublicCodes.NOT_PERMITTED);
    }
}
