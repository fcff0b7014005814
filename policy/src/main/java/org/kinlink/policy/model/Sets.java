package org.kinlink.policy.model;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Immutable enum-set copies that keep declaration order (so JSON and equality are stable). */
public final class Sets {
    private Sets() {
    }

    /** An unmodifiable, declaration-ordered copy of the given enum values. */
    public static <E extends Enum<E>> Set<E> copyOf(Class<E> type, Collection<E> values) {
        if (values.isEmpty()) {
            return Set.of(); // shared, and equal to any empty set: saves an allocation per obligation
        }
        EnumSet<E> set = EnumSet.noneOf(type);
        set.addAll(values);
        return Collections.unmodifiableSet(set);
    }
}
