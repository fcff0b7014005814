package org.kinlink.media;

import java.util.Objects;

/**
 * Someone a decision admitted to a call.
 *
 * @param id the gateway's id ({@code pr-...}, {@code pe-...}, {@code st-...})
 * @param name the name other participants see
 */
public record Participant(String id, String name, ParticipantRole role) {
  public Participant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }
}
