package org.kinlink.gateway.jitsi;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * What the reservation endpoint asks the calls service before prosody may create a room. The calls
 * capability implements it (a room is named by its call id): allowed only for a call that is OPEN or
 * LIVE at {@code now} and whose participants policy, decided afresh, still allows the call.
 */
public interface RoomAuthority {
  /**
   * @param establishment the call's establishment (for the audit entry), null when there is no such call
   * @param endBy the call's END_BY, when allowed
   * @param reason why not, in words for staff (prosody logs it; no participant sees it)
   */
  record Verdict(boolean allowed, String callId, String establishment, Instant endBy, String reason) {
    public static Verdict allow(String callId, String establishment, Instant endBy) {
      return new Verdict(true, callId, establishment, endBy, null);
    }

    public static Verdict refuse(String callId, String establishment, String reason) {
      return new Verdict(false, callId, establishment, null, reason);
    }
  }

  Future<Verdict> mayOpen(String room, Instant now);
}
