package org.kinlink.media.jitsi;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One establishment's Jitsi deployment, as {@code media:} in its configuration names it:
 *
 * <pre>
 * media:
 *   backend: jitsi            # or embedded (the default)
 *   jitsi:
 *     base_url: https://meet.example.org        # the web container (lib-jitsi-meet, xmpp-websocket)
 *     xmpp_domain: meet.jitsi
 *     muc_domain: muc.meet.jitsi
 *     hidden_domain: hidden.meet.jitsi          # Jibri and the monitor account
 *     prosody_http_url: http://prosody:5280     # internal: end-meeting, kick-participant
 *     jibri_urls: [http://jibri:2222]
 *     login_kid: kinlink-login-1                # rotate by changing the kid (prosody caches per kid)
 *     system_kid: kinlink-system-1
 *     issuer: kinlink                           # in JWT_ACCEPTED_ISSUERS
 *     audience: kinlink-jitsi                   # in JWT_ACCEPTED_AUDIENCES
 *     token_minutes: 3
 *     recording_max_mb: 2048                    # the largest recording the finalize script may upload
 *     monitor_user: kinlink-monitor             # the gateway's account on hidden_domain (monitoring);
 *                                               # its password: KINLINK_JITSI_MONITOR_PASSWORD or monitor_password_file
 * </pre>
 *
 * Switching an establishment between backends is this block only; nothing else changes.
 */
public record JitsiConfig(URI baseUrl, String xmppDomain, String mucDomain, String hiddenDomain, URI prosodyHttpUrl,
    List<URI> jibriUrls, String loginKid, String systemKid, String issuer, String audience, Duration tokenLife,
    String monitorUser, long recordingMaxBytes) {

  public JitsiConfig {
    Objects.requireNonNull(baseUrl, "base_url");
    Objects.requireNonNull(prosodyHttpUrl, "prosody_http_url");
    jibriUrls = List.copyOf(jibriUrls);
    if (tokenLife.isNegative() || tokenLife.isZero() || tokenLife.compareTo(Duration.ofMinutes(10)) > 0) {
      // a token is checked only at XMPP login: a long one would let a removed person rejoin
      throw new IllegalArgumentException("media.jitsi.token_minutes must be between 1 and 10");
    }
  }

  /** The backend an establishment's {@code media} block names: {@code embedded} when absent. */
  public static String backendOf(Map<String, ?> media) {
    Object b = media == null ? null : media.get("backend");
    String name = b == null ? "embedded" : b.toString().trim().toLowerCase(java.util.Locale.ROOT);
    if (!name.equals("embedded") && !name.equals("jitsi")) {
      throw new IllegalArgumentException("media.backend must be embedded or jitsi, not '" + b + "'");
    }
    return name;
  }

  /**
   * Parses an establishment's {@code media} block; empty for the embedded backend. Throws
   * {@link IllegalArgumentException} naming the first setting that is missing or wrong.
   */
  public static java.util.Optional<JitsiConfig> parse(Map<String, ?> media) {
    if (!backendOf(media).equals("jitsi")) {
      return java.util.Optional.empty();
    }
    if (!(media.get("jitsi") instanceof Map<?, ?> j)) {
      throw new IllegalArgumentException("media.backend is jitsi but media.jitsi is missing");
    }
    String xmpp = text(j, "xmpp_domain", "meet.jitsi");
    Object jibri = j.get("jibri_urls");
    List<URI> jibris = jibri == null ? List.of()
        : jibri instanceof List<?> l ? l.stream().map(o -> uri("jibri_urls", o.toString())).toList()
        : java.util.Arrays.stream(jibri.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .map(s -> uri("jibri_urls", s)).toList();
    Object minutes = j.get("token_minutes");
    long tokenMinutes;
    try {
      tokenMinutes = minutes == null ? 3 : Long.parseLong(minutes.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("media.jitsi.token_minutes must be a whole number of minutes");
    }
    return java.util.Optional.of(new JitsiConfig(uri("base_url", required(j, "base_url")), xmpp,
        text(j, "muc_domain", "muc." + xmpp), text(j, "hidden_domain", "hidden." + xmpp),
        uri("prosody_http_url", required(j, "prosody_http_url")), jibris, text(j, "login_kid", "kinlink-login-1"),
        text(j, "system_kid", "kinlink-system-1"), text(j, "issuer", "kinlink"), text(j, "audience", "kinlink-jitsi"),
        Duration.ofMinutes(tokenMinutes), monitorUser(j), recordingMaxBytes(j)));
  }

  static final long DEFAULT_RECORDING_MAX_MB = 2048;

  private static long recordingMaxBytes(Map<?, ?> j) {
    Object v = j.get("recording_max_mb");
    try {
      long mb = v == null ? DEFAULT_RECORDING_MAX_MB : Long.parseLong(v.toString().trim());
      if (mb < 1 || mb > 64 * 1024) {
        throw new NumberFormatException();
      }
      return mb * 1024 * 1024;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("media.jitsi.recording_max_mb must be a whole number of MiB between 1 and 65536");
    }
  }

  /** Null when monitoring is not set up; otherwise an XMPP local part (no @, no spaces). */
  private static String monitorUser(Map<?, ?> j) {
    String user = text(j, "monitor_user", null);
    if (user != null && !user.matches("[a-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("media.jitsi.monitor_user must be a lowercase account name such as kinlink-monitor");
    }
    return user;
  }

  private static String required(Map<?, ?> j, String key) {
    Object v = j.get(key);
    if (v == null || v.toString().isBlank()) {
      throw new IllegalArgumentException("media.jitsi." + key + " is required");
    }
    return v.toString().trim();
  }

  private static String text(Map<?, ?> j, String key, String dflt) {
    Object v = j.get(key);
    return v == null || v.toString().isBlank() ? dflt : v.toString().trim();
  }

  private static URI uri(String key, String v) {
    try {
      URI u = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
      if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw new IllegalArgumentException("media.jitsi." + key + " must be an http(s) URL, not '" + v + "'");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("media.jitsi." + key + " must be an http(s) URL, not '" + v + "'");
    }
  }
}
