package org.kinlink.media;

import java.util.List;
import java.util.Map;

/**
 * What a client needs to connect, as the join answer carries it.
 *
 * @param backend {@link MediaBackend#name()}
 * @param join backend-specific members of {@code join} (JSON-ready: strings, numbers, lists, maps)
 */
public record Admission(String backend, Map<String, Object> join) {
  public Admission {
    join = Map.copyOf(join);
  }

  /** An ICE server entry as browsers take it ({@code RTCIceServer}). */
  public static Map<String, Object> iceServer(List<String> urls, String username, String credential) {
    return username == null ? Map.of("urls", List.copyOf(urls))
        : Map.of("urls", List.copyOf(urls), "username", username, "credential", credential);
  }
}
