package org.kinlink.media.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kinlink.media.Admission;
import org.kinlink.media.ConferenceSpec;
import org.kinlink.media.Participant;
import org.kinlink.media.ParticipantEvent;
import org.kinlink.media.ParticipantRole;
import org.kinlink.media.TurnCredentials;
import org.kinlink.policy.model.ObligationType;
import org.kinlink.policy.model.SupervisorRole;

class EmbeddedMediaBackendTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void turnCredentialsFollowCoturnsSharedSecretScheme() {
    TurnCredentials turn = new TurnCredentials("north-wing-secret", Duration.ofMinutes(10));
    TurnCredentials.Credential c = turn.mint("pe-child", T0);
    assertEquals(T0.plusSeconds(600).getEpochSecond() + ":pe-child", c.username());
    // HMAC-SHA1("north-wing-secret", username), base64: what coturn's use-auth-secret recomputes
    assertEquals(TurnCredentials.sign("north-wing-secret".getBytes(), c.username()), c.credential());
    assertEquals(28, c.credential().length());
  }

  @Test
  void aSupervisedCallHoldsPrisonerAndChildUntilTheSupervisorIsIn() {
    EmbeddedMediaBackend b = new EmbeddedMediaBackend(Clock.fixed(T0, ZoneOffset.UTC), List.of("stun:stun.example:3478"),
        List.of("turn:turn.example:3478"), new TurnCredentials("s", Duration.ofMinutes(10)), Duration.ofMinutes(2), Duration.ofSeconds(10));
    b.create(new ConferenceSpec("call-1", Set.of("styal"), Set.of(SupervisorRole.SCHOOL), true, T0.plusSeconds(1800)));
    Admission a = b.admit("call-1", new Participant("pr-A", "Mum", ParticipantRole.PRISONER)).toCompletableFuture().join();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ice = (List<Map<String, Object>>) a.join().get("ice_servers");
    assertEquals(2, ice.size());
    b.admit("call-1", new Participant("pe-child", "Jade", ParticipantRole.CHILD));
    b.admit("call-1", new Participant("pe-dsl", "Ms Lead", ParticipantRole.SUPERVISOR));
    b.present("call-1", "pr-A");
    b.present("call-1", "pe-child");
    assertFalse(b.mayRelay("call-1", "pr-A", "pe-child"));
    b.present("call-1", "pe-dsl");
    assertTrue(b.mayRelay("call-1", "pr-A", "pe-child"));
    b.absent("call-1", "pe-dsl");
    assertFalse(b.mayRelay("call-1", "pe-child", "pr-A"));
    assertTrue(b.check(T0.plusSeconds(119)).stream().noneMatch(e -> e.kind() == ParticipantEvent.Kind.SUPERVISOR_GONE_TOO_LONG));
    assertTrue(b.check(T0.plusSeconds(120)).stream().anyMatch(e -> e.kind() == ParticipantEvent.Kind.SUPERVISOR_GONE_TOO_LONG));
  }

  @Test
  void aDownRecorderIsNotEnforceable() {
    EmbeddedMediaBackend b = new EmbeddedMediaBackend(Clock.systemUTC(), List.of(), List.of(), null, Duration.ofMinutes(2),
        Duration.ofSeconds(10));
    assertTrue(b.enforceableNow("styal").contains(ObligationType.RECORD));
    assertFalse(b.enforceableNow("styal").contains(ObligationType.REVIEW_BEFORE_DELIVERY));
    b.recorderAvailable(false);
    assertFalse(b.enforceableNow("styal").contains(ObligationType.RECORD));
  }
}
