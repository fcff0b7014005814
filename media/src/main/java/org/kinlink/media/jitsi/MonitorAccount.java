package org.kinlink.media.jitsi;

import java.util.Objects;

/**
 * The gateway's password account on the hidden domain ({@code XMPP_HIDDEN_DOMAIN}, a prosody
 * VirtualHost with {@code internal_hashed} authentication whose occupants lib-jitsi-meet leaves out of
 * the participants list). Security staff get it only in the answer to a permitted monitor request, so
 * the monitor is hidden from the interface, not from the protocol: its JID is in the room's presence.
 *
 * @param user the local part ({@code monitor_user}); the JID is {@code user@hidden_domain}
 */
public record MonitorAccount(String user, String password) {
  public MonitorAccount {
    Objects.requireNonNull(user, "user");
    if (password == null || password.length() < 16) {
      throw new IllegalArgumentException("the Jitsi monitor password must be at least 16 characters");
    }
  }

  @Override
  public String toString() {
    return "MonitorAccount[" + user + ", password hidden]";
  }
}
