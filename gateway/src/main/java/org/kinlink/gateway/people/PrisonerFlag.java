package org.kinlink.gateway.people;

/** Facts about a prisoner that policy and staff care about. */
public enum PrisonerFlag {
  /** On remand (not yet sentenced). */
  REMAND,
  /** Lives in a Mother and Baby Unit. */
  MBU,
  /** Party to family-court care proceedings. */
  CARE_PROCEEDINGS,
  /** Assessed or flagged as a risk to children: clearance stays NONE until assessed. */
  RISK_TO_CHILDREN
}
