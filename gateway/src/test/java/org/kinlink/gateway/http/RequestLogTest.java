package org.kinlink.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A child's one-time join link must not end up in the request log, where staff and operators read it. */
class RequestLogTest {
  @Test
  void aJoinLinksTokenIsNeverLogged() {
    assertEquals("/join/<token>", RequestLog.loggedPath("/join/Zq3x9T0kLm_Ab12Cd34Ef56"));
    assertEquals("/api/v1/join/<token>/redeem", RequestLog.loggedPath("/api/v1/join/Zq3x9T0kLm_Ab12Cd34Ef56/redeem"));
    assertEquals("/api/v1/calls/c-1/join", RequestLog.loggedPath("/api/v1/calls/c-1/join"));
  }
}
