package org.kinlink.gateway.people;

/** A prisoner's child-contact clearance, set by staff after assessment (docs/domain.md). */
public enum Clearance {
  /** No contact with children at all. */
  NONE,
  /** Messages only, reviewed. */
  WRITTEN,
  /** Video only with a supervisor present. */
  SUPERVISED,
  FULL
}
