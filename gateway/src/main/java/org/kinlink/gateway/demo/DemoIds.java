package org.kinlink.gateway.demo;

/** Stable ids of the demo records (docs/cli.md), for other capabilities' demo data and tests. */
public final class DemoIds {
  private DemoIds() {}

  public static final String STYAL = "styal";
  public static final String SEND = "send";
  public static final String EASTWOOD_PARK = "eastwood-park";

  /** Mother in the MBU at HMP Styal, clearance FULL. */
  public static final String PRISONER_A1234BC = "pr-A1234BC";
  /** Mother at HMP Eastwood Park, on remand, party to care proceedings. */
  public static final String PRISONER_C3456FG = "pr-C3456FG";
  /** Mother at HMP Send, clearance NONE (risk to children). */
  public static final String PRISONER_D7890HJ = "pr-D7890HJ";
  /** Father at HMP Send, father of A1234BC's baby. */
  public static final String PRISONER_E2468KL = "pr-E2468KL";

  public static final String KIOSK_STYAL_01 = "kiosk-styal-01";
  public static final String KIOSK_EP_01 = "kiosk-ep-01";
  public static final String KIOSK_SEND_01 = "kiosk-send-01";
  public static final String KIOSK_SEND_02 = "kiosk-send-02";

  /** Carer (grandmother) of A1234BC's son. */
  public static final String PERSON_CARER = "pe-carer";
  /** School designated safeguarding lead, supervises A1234BC's daughter. */
  public static final String PERSON_DSL = "pe-dsl";
  /** Children's social worker (C3456FG, D7890HJ). */
  public static final String PERSON_SOCIAL_WORKER = "pe-socialworker";
  /** Legal adviser of C3456FG (privileged). */
  public static final String PERSON_SOLICITOR = "pe-solicitor";
  /** A1234BC's son, 9, cared for by the carer. */
  public static final String PERSON_SON = "pe-son";
  /** A1234BC's daughter, 11, at school. */
  public static final String PERSON_DAUGHTER = "pe-daughter";
  /** E2468KL as a parent outside A1234BC's prison: a link to his prisoner record. */
  public static final String PERSON_FATHER = "pe-father";

  public static final String STAFF_OFFICER_STYAL = "st-officer-styal";
  public static final String STAFF_SECURITY_STYAL = "st-security-styal";
  public static final String STAFF_SECURITY_SEND = "st-security-send";
  public static final String STAFF_ADMIN = "st-admin";

  /** Every demo TOTP secret (base32; RFC 6238, SHA-1, 6 digits, 30 s). Demo only. */
  public static final String TOTP_SECRET = "KINLINKDEMOTOTPSECRETAAAAAAAAAAA";
}
