package org.kinlink.gateway.people;

/** What a person outside is to the prisoners they are in contact with. */
public enum PersonKind {
  CHILD,
  CARER,
  PARENT,
  SCHOOL,
  SOCIAL_WORKER,
  LEGAL,
  OTHER;

  /** Professionals sign in with a second factor (TOTP). */
  public boolean isProfessional() {
    return this == SCHOOL || this == SOCIAL_WORKER || this == LEGAL;
  }

  /** Children never sign in: they join under a supervising adult. */
  public boolean maySignIn() {
    return this != CHILD;
  }
}
