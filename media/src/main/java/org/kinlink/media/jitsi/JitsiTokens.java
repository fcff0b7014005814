package org.kinlink.media.jitsi;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Duration;
import org.kinlink.media.Participant;

/**
 * Mints the RS256 tokens prosody checks (vertx-auth-jwt signs; nothing here builds a JWT by hand).
 *
 * <p>A login token is checked by prosody only at XMPP login: {@code exp} does not end a running
 * call. So it is short-lived (minutes, enough to join), bound to one room, and minted only after a
 * PERMIT join decision; the gateway ends calls itself. {@code moderator} is true only for staff (with
 * {@code token_affiliation} that makes them the only owners), and {@code context.features} switches
 * recording and live streaming off for everyone ({@code filter_iq_jibri} enforces it).
 *
 * <p>System tokens (to prosody's {@code end-meeting} and {@code kick-participant}) are signed with a
 * separate key pair, published under {@code prosody_password_public_key_repo_url}; they live one
 * minute. Times come from the gateway's clock.
 */
public final class JitsiTokens {
  static final Duration SYSTEM_TOKEN_LIFE = Duration.ofMinutes(1);
  private static final String ALG = "RS256";

  private final JitsiConfig config;
  private final JitsiKeys loginKeys;
  private final JitsiKeys systemKeys;
  private final JWTAuth login;
  private final JWTAuth system;
  private final Clock clock;

  public JitsiTokens(Vertx vertx, JitsiConfig config, JitsiKeys loginKeys, JitsiKeys systemKeys, Clock clock) {
    this.config = config;
    this.loginKeys = loginKeys;
    this.systemKeys = systemKeys;
    this.login = signer(vertx, loginKeys);
    this.system = signer(vertx, systemKeys);
    this.clock = clock;
  }

  private static JWTAuth signer(Vertx vertx, JitsiKeys keys) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALG).setId(keys.kid()).setBuffer(keys.privatePem())));
  }

  public JitsiKeys loginKeys() {
    return loginKeys;
  }

  public JitsiKeys systemKeys() {
    return systemKeys;
  }

  /** A login token for one participant and one room. */
  public String login(String room, Participant p, boolean moderator) {
    long now = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject()
        .put("iss", config.issuer())
        // one string, not a list: prosody compares aud with JWT_ACCEPTED_AUDIENCES as a string
        .put("aud", config.audience())
        .put("sub", config.xmppDomain())
        .put("room", room)
        .put("iat", now)
        .put("nbf", now)
        .put("exp", now + config.tokenLife().toSeconds())
        .put("context", new JsonObject()
            .put("user", new JsonObject().put("id", p.id()).put("name", p.name()).put("moderator", moderator))
            .put("features", new JsonObject().put("recording", false).put("livestreaming", false)
                .put("transcription", false).put("outbound-call", false)));
    return sign(login, loginKeys, claims);
  }

  /** A system token for prosody's HTTP endpoints. */
  public String system() {
    long now = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject().put("iss", config.issuer()).put("aud", config.audience())
        .put("sub", config.xmppDomain()).put("room", "*").put("iat", now).put("nbf", now)
        .put("exp", now + SYSTEM_TOKEN_LIFE.toSeconds());
    return sign(system, systemKeys, claims);
  }

  private static String sign(JWTAuth auth, JitsiKeys keys, JsonObject claims) {
    // the kid names the key file prosody fetches; iat/exp come from our clock, not vertx's
    return auth.generateToken(claims, new JWTOptions().setAlgorithm(ALG).setNoTimestamp(true)
        .setHeader(new JsonObject().put("kid", keys.kid())));
  }
}
