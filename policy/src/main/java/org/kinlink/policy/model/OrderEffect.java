package org.kinlink.policy.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** What a court order forbids while it is in force. */
public enum OrderEffect {
    /** No contact of any kind. */
    NO_CONTACT(EnumSet.allOf(Channel.class)),
    /** No direct (face-to-face or video) contact; letters and messages remain possible. */
    NO_DIRECT_CONTACT(EnumSet.of(Channel.VIDEO)),
    /** No indirect contact: no messages and no photos. */
    NO_INDIRECT_CONTACT(EnumSet.of(Channel.MESSAGE, Channel.PHOTO)),
    /** No photos. */
    NO_PHOTOS(EnumSet.of(Channel.PHOTO));

    private final Set<Channel> forbidden;

    OrderEffect(Set<Channel> forbidden) {
        this.forbidden = Collections.unmodifiableSet(forbidden);
    }

    /** True when this effect forbids the channel. */
    public boolean forbids(Channel channel) {
        return forbidden.contains(channel);
    }
}
