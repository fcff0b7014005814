package org.kinlink.policy.model;

/** What someone asks to do; the engine decides each one at the moment it happens. */
public enum Action {
    SEND_MESSAGE, SEND_PHOTO, BOOK_CALL, JOIN_CALL, MONITOR_CALL, VIEW_RECORDING, CHANGE_POLICY;

    /** True for actions that create contact between a prisoner and someone else. */
    public boolean isContact() {
        return isMessage() || isCall();
    }

    /** True for SEND_MESSAGE and SEND_PHOTO. */
    public boolean isMessage() {
        return this == SEND_MESSAGE || this == SEND_PHOTO;
    }

    /** True for BOOK_CALL and JOIN_CALL. */
    public boolean isCall() {
        return this == BOOK_CALL || this == JOIN_CALL;
    }
}
