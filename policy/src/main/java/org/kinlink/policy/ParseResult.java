package org.kinlink.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kinlink.policy.model.ContactPolicy;

/** Either a valid policy or the non-empty list of everything wrong with the document. */
public sealed interface ParseResult permits ParseResult.Valid, ParseResult.Invalid {

    /** True when the document was valid. */
    boolean isValid();

    /** The policy when valid. */
    Optional<ContactPolicy> policy();

    /** The problems (empty when valid). */
    List<Problem> problems();

    /** A valid document. */
    record Valid(ContactPolicy value) implements ParseResult {
        /** Checks the policy is present. */
        public Valid {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public Optional<ContactPolicy> policy() {
            return Optional.of(value);
        }

        @Override
        public List<Problem> problems() {
            return List.of();
        }
    }

    /** An invalid document, with one problem per thing wrong. */
    record Invalid(List<Problem> problems) implements ParseResult {
        /** Requires at least one problem. */
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one problem");
            }
        }

        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public Optional<ContactPolicy> policy() {
            return Optional.empty();
        }
    }
}
