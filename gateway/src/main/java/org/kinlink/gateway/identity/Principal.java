package org.kinlink.gateway.identity;

import java.util.Objects;
import org.kinlink.gateway.http.ApiException;

/**
 * Who made a request, from a verified access token.
 *
 * @param accountId the account (staff, person outside, or prisoner account)
 * @param role what the account is
 * @param establishment the establishment for staff and prisoners; null for people outside
 * @param personId the prisoner id (role PRISONER) or person-outside id (role OUTSIDE); null for staff
 * @param sessionId the refresh-token family this access token belongs to (revoked together)
 */
public record Principal(String accountId, Role role, String establishment, String personId, String sessionId) {

  public Principal {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(role, "role");
  }

  public boolean isStaff() {
    return role.isStaff();
  }

  /**
   * Staff may read only their own establishment's records. Answers 404 rather than 403 so that
   * staff elsewhere cannot learn that a record exists.
   */
  public void requireEstablishment(String recordEstablishment) {
    if (establishment == null || !establishment.equals(recordEstablishment)) {
      throw ApiException.notFound("No such record in your establishment.");
    }
  }
}
