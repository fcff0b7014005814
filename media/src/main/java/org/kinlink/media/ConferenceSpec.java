package org.kinlink.media;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.kinlink.policy.model.SupervisorRole;

/**
 * What a conference must enforce, from the call's decision.
 *
 * @param supervisors when not empty, media between the prisoner side and a child flows only while a
 *                    participant of one of these roles is present (SUPERVISOR_PRESENT)
 * @param record the call must be recorded while it is live (RECORD)
 * @param endBy the latest end (END_BY)
 */
public record ConferenceSpec(String callId, Set<String> establishments, Set<SupervisorRole> supervisors, boolean record,
    Instant endBy) {
  public ConferenceSpec {
    Objects.requireNonNull(callId, "callId");
    establishments = Set.copyOf(establishments);
    supervisors = Set.copyOf(supervisors);
    Objects.requireNonNull(endBy, "endBy");
  }

  public boolean supervised() {
    return !supervisors.isEmpty();
  }
}
