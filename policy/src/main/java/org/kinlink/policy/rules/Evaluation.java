package org.kinlink.policy.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.kinlink.policy.DecisionRequest;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Channel;
import org.kinlink.policy.model.Contact;
import org.kinlink.policy.model.ContentRules;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Relationship;
import org.kinlink.policy.screening.ContentMatch;
import org.kinlink.policy.screening.LocationScanner;

/**
 * The facts of one request, derived once and shared by every rule: which channels the action uses,
 * the time span it covers, who is in it, which contacts apply (and which are missing), and the
 * step-up stage in force for each. Content is screened lazily, at most once per request.
 * Not thread-safe: one per request.
 */
public final class Evaluation {
    private final DecisionRequest request;
    private final Set<Channel> channels;
    private final Instant from;
    private final Instant end;
    private final Instant callStart;
    private final List<ContactFacts> contacts = new ArrayList<>();
    private final List<MissingContact> missing = new ArrayList<>();
    private final Set<String> parties = new HashSet<>();
    private final Set<String> children = new HashSet<>();
    private final LocationScanner scanner;
    private List<ContentMatch> locations;
    private final IdentityHashMap<ContentRules, List<ContentMatch>> termMatches = new IdentityHashMap<>(4);

    /** A contact that applies to this request, with what is in force at the request's moment. */
    public record ContactFacts(Contact contact, Prisoner prisoner, boolean partyIsChild, EffectivePolicy effective) {
    }

    /** A prisoner-party pair that this request needs a contact for, but the request has none. */
    public record MissingContact(String prisonerId, String partyId) {
    }

    /** Derives the facts of a request. */
    public Evaluation(DecisionRequest request, LocationScanner scanner) {
        this.request = request;
        this.scanner = scanner;
        this.channels = channelsOf(request);
        Action action = request.action();
        if (action.isCall() || action == Action.MONITOR_CALL) {
            this.callStart = request.call() == null ? request.at() : request.call().start();
            this.from = callStart.isAfter(request.at()) ? callStart : request.at();
            this.end = request.call() == null ? null : request.call().end();
        } else {
            this.callStart = request.at();
            this.from = request.at();
            this.end = null;
        }
        for (Prisoner p : request.prisoners()) {
            parties.add(p.id());
        }
        for (Person person : request.people()) {
            parties.add(person.id());
            if (person.child()) {
                children.add(person.id());
            }
        }
        if (action.isCall()) {
            // Whoever joins is in the call, listed or not.
            parties.add(request.actor().id());
        }
        for (Contact c : request.contacts()) {
            if (c.policy().relationship() == Relationship.CHILD) {
                children.add(c.partyId());
            }
        }
        LocalDate date = London.date(from);
        for (Prisoner prisoner : request.prisoners()) {
            for (String party : otherParties(prisoner)) {
                boolean found = false;
                for (Contact c : request.contacts()) {
                    if (c.prisonerId().equals(prisoner.id()) && c.partyId().equals(party)) {
                        found = true;
                        contacts.add(new ContactFacts(c, prisoner, children.contains(party),
                                EffectivePolicy.on(c.policy(), date)));
                    }
                }
                if (!found) {
                    missing.add(new MissingContact(prisoner.id(), party));
                }
            }
        }
    }

    private List<String> otherParties(Prisoner prisoner) {
        List<String> others = new ArrayList<>();
        for (Prisoner p : request.prisoners()) {
            if (!p.id().equals(prisoner.id())) {
                others.add(p.id());
            }
        }
        for (Person person : request.people()) {
            others.add(person.id());
        }
        return others;
    }

    private static Set<Channel> channelsOf(DecisionRequest request) {
        return switch (request.action()) {
            case SEND_MESSAGE -> request.content().photo()
                    ? EnumSet.of(Channel.MESSAGE, Channel.PHOTO) : EnumSet.of(Channel.MESSAGE);
            case SEND_PHOTO -> EnumSet.of(Channel.PHOTO);
            case BOOK_CALL, JOIN_CALL -> EnumSet.of(Channel.VIDEO);
            default -> EnumSet.noneOf(Channel.class);
        };
    }

    /** The request. */
    public DecisionRequest request() {
        return request;
    }

    /** The action. */
    public Action action() {
        return request.action();
    }

    /** The channels the action uses (empty for staff actions). */
    public Set<Channel> channels() {
        return channels;
    }

    /** True when the request carries a photo. */
    public boolean hasPhoto() {
        return channels.contains(Channel.PHOTO);
    }

    /** Start of the span the action covers: the moment, or a booked call's start if later. */
    public Instant from() {
        return from;
    }

    /** The booked end of a call, or null (messages, open-ended calls). */
    public Instant end() {
        return end;
    }

    /** When the call started or starts (for call-length limits). */
    public Instant callStart() {
        return callStart;
    }

    /** Every party in the call or conversation (prisoners, people, and whoever joins). */
    public Set<String> parties() {
        return parties;
    }

    /** The contacts that apply, one per prisoner-party pair found. */
    public List<ContactFacts> contacts() {
        return contacts;
    }

    /** Prisoner-party pairs with no contact. */
    public List<MissingContact> missing() {
        return missing;
    }

    /** True when this party is a child (flagged, or a CHILD relationship on any contact). */
    public boolean isChild(String partyId) {
        return children.contains(partyId);
    }

    /** The parties (other than the prisoner) that are children. */
    public List<String> childrenWith(Prisoner prisoner) {
        List<String> list = new ArrayList<>();
        for (String party : otherParties(prisoner)) {
            if (children.contains(party)) {
                list.add(party);
            }
        }
        return list;
    }

    /** Location disclosures in the message text (screened once per request). */
    public List<ContentMatch> locations() {
        if (locations == null) {
            List<ContentMatch> found = new ArrayList<>();
            scanner.scan(request.content().text(), found);
            locations = List.copyOf(found);
        }
        return locations;
    }

    /** Sensitive and blocked terms of these content rules found in the message (screened once per rules). */
    public List<ContentMatch> terms(ContentRules rules) {
        List<ContentMatch> found = termMatches.get(rules);
        if (found == null) {
            List<ContentMatch> list = new ArrayList<>();
            rules.screen().scan(request.content().text(), list);
            found = List.copyOf(list);
            termMatches.put(rules, found);
        }
        return found;
    }
}
