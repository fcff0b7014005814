package org.kinlink.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kinlink.policy.model.Action;
import org.kinlink.policy.model.Actor;
import org.kinlink.policy.model.CallSlot;
import org.kinlink.policy.model.Contact;
import org.kinlink.policy.model.ContactPolicy;
import org.kinlink.policy.model.Content;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.Person;
import org.kinlink.policy.model.Prisoner;
import org.kinlink.policy.model.Sets;
import org.kinlink.policy.model.Usage;

/**
 * The facts of one decision, gathered fresh by the caller at the moment of the action.
 *
 * <p>Every prisoner in {@code prisoners} (one, or two for an inter-prison call) needs a {@link Contact}
 * with every other party: each person in {@code people} and each other prisoner. A missing contact
 * is a DENY. Build with {@link #builder(Action, Instant)} or {@link #message}.
 *
 * @param at the moment of the action (the engine never reads a clock)
 * @param call the call for BOOK_CALL / JOIN_CALL / MONITOR_CALL (null: starts at {@code at}, open-ended)
 * @param content the message for SEND_MESSAGE / SEND_PHOTO (null: empty)
 * @param enforceable obligation types the caller can enforce right now (e.g. without RECORD when the
 *                    recorder is down); a required obligation outside this set turns the decision to DENY.
 *                    There is no default: null means the caller did not say, and the decision is DENY
 *                    ({@code OBLIGATION_UNAVAILABLE}), because a caller that forgot to ask its media or
 *                    review backend must never be told PERMIT for something nobody will enforce
 */
public record DecisionRequest(
        Action action,
        Actor actor,
        Instant at,
        List<Prisoner> prisoners,
        List<Person> people,
        List<Contact> contacts,
        CallSlot call,
        Content content,
        Set<ObligationType> enforceable) {

    /** Checks required components and copies collections. */
    public DecisionRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        prisoners = List.copyOf(prisoners);
        people = List.copyOf(people);
        contacts = List.copyOf(contacts);
        content = content == null ? Content.text("") : content;
        enforceable = enforceable == null ? null : Sets.copyOf(ObligationType.class, enforceable);
        if (prisoners.isEmpty() || prisoners.size() > 2) {
            throw new IllegalArgumentException("a request involves one or two prisoners, not " + prisoners.size());
        }
    }

    /** The same request at another moment (e.g. to re-decide a live call as time passes or policy changes). */
    public DecisionRequest withMoment(Instant moment) {
        return new DecisionRequest(action, actor, moment, prisoners, people, contacts, call, content, enforceable);
    }

    /** The same request with what the caller can enforce right now (e.g. without RECORD while the recorder is down). */
    public DecisionRequest withEnforceable(Set<ObligationType> types) {
        return new DecisionRequest(action, actor, at, prisoners, people, contacts, call, content, types);
    }

    /** The same request with other contacts (e.g. after a policy change during a live call). */
    public DecisionRequest withContacts(List<Contact> replaced) {
        return new DecisionRequest(action, actor, at, prisoners, people, replaced, call, content, enforceable);
    }

    /**
     * A message from {@code sender} on the contact between {@code prisoner} and {@code person}, sent by a
     * caller that can enforce {@code enforceable} (a messaging service with a review queue passes
     * {@code REVIEW_BEFORE_DELIVERY}).
     */
    public static DecisionRequest message(Actor sender, Instant at, Prisoner prisoner, Person person,
                                          ContactPolicy policy, Usage usage, String text,
                                          Set<ObligationType> enforceable) {
        return builder(Action.SEND_MESSAGE, at).actor(sender).prisoner(prisoner).person(person)
                .contact(prisoner, person.id(), policy, usage).text(text).enforceable(enforceable).build();
    }

    /** Starts a request for an action at a moment. */
    public static Builder builder(Action action, Instant at) {
        return new Builder(action, at);
    }

    /** Assembles a request; see {@link DecisionRequest} for what each part means. */
    public static final class Builder {
        private final Action action;
        private final Instant at;
        private Actor actor;
        private final List<Prisoner> prisoners = new ArrayList<>();
        private final List<Person> people = new ArrayList<>();
        private final List<Contact> contacts = new ArrayList<>();
        private CallSlot call;
        private Content content;
        private Set<ObligationType> enforceable;

        private Builder(Action action, Instant at) {
            this.action = action;
            this.at = at;
        }

        /** Who asks. */
        public Builder actor(Actor value) {
            actor = value;
            return this;
        }

        /** Adds a prisoner taking part. */
        public Builder prisoner(Prisoner value) {
            prisoners.add(value);
            return this;
        }

        /** Adds a person outside taking part. */
        public Builder person(Person value) {
            people.add(value);
            return this;
        }

        /** Adds a contact. */
        public Builder contact(Contact value) {
            contacts.add(value);
            return this;
        }

        /** Adds the contact between a prisoner and a party. */
        public Builder contact(Prisoner prisoner, String partyId, ContactPolicy policy, Usage usage) {
            contacts.add(new Contact(prisoner.id(), partyId, policy, usage));
            return this;
        }

        /** Adds a person outside with their contact to a prisoner. */
        public Builder person(Person person, Prisoner prisoner, ContactPolicy policy, Usage usage) {
            people.add(person);
            return contact(prisoner, person.id(), policy, usage);
        }

        /** The call, for call actions. */
        public Builder call(CallSlot value) {
            call = value;
            return this;
        }

        /** The call, for call actions. */
        public Builder call(Instant start, Duration duration) {
            call = new CallSlot(start, duration);
            return this;
        }

        /** The message text. */
        public Builder text(String value) {
            content = Content.text(value);
            return this;
        }

        /** The message content. */
        public Builder content(Content value) {
            content = value;
            return this;
        }

        /** The obligation types the caller can enforce right now; required (without it the decision is DENY). */
        public Builder enforceable(Set<ObligationType> value) {
            enforceable = value;
            return this;
        }

        /** Builds the request. */
        public DecisionRequest build() {
            return new DecisionRequest(action, actor, at, prisoners, people, contacts, call, content, enforceable);
        }
    }
}
