package org.kinlink.policy.model;

/** A way of being in contact. */
public enum Channel {
    MESSAGE, VIDEO, PHOTO
}
