package org.kinlink.gateway.identity;

/** What a signed-in account is; staff roles always belong to one establishment. */
public enum Role {
  /** A person in custody, signed in on an enrolled kiosk. */
  PRISONER,
  /** A person outside: carer, parent, school, social worker, legal adviser. */
  OUTSIDE,
  OFFICER,
  FAMILY_WORKER,
  SECURITY,
  ADMIN;

  /** True for prison staff (officer, family worker, security, admin). */
  public boolean isStaff() {
    return this == OFFICER || this == FAMILY_WORKER || this == SECURITY || this == ADMIN;
  }
}
