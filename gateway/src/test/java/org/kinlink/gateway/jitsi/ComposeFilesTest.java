package org.kinlink.gateway.jitsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kinlink.media.jitsi.JitsiConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The docker files, read as YAML (no Docker here): what the gateway and the Jitsi services expect of
 * each other agrees, every image is pinned, and every secret comes from the generated .env.
 */
class ComposeFilesTest {
  static final Path DOCKER = Path.of("..", "docker");
  static final String JITSI_TAG = "stable-11146-2";

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String file) throws Exception {
    return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(DOCKER.resolve(file)));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> service(Map<String, Object> compose, String name) {
    return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> env(Map<String, Object> compose, String name) {
    Map<String, String> out = new java.util.HashMap<>();
    ((Map<String, Object>) service(compose, name).getOrDefault("environment", Map.of())).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyImageIsPinnedAndJitsiIsTheVersionTheFilesWereWrittenFor() throws Exception {
    for (String file : List.of("compose.yaml", "compose.jitsi.yaml")) {
      Map<String, Object> services = (Map<String, Object>) yaml(file).get("services");
      services.forEach((name, s) -> {
        Object image = ((Map<String, Object>) s).get("image");
        if (image == null) {
          return; // built here (gateway) or an override
        }
        String tag = image.toString().substring(image.toString().lastIndexOf(':') + 1);
        assertTrue(image.toString().contains(":") && tag.matches(".*\\d.*") && !tag.equals("latest"), name + " is not pinned: " + image);
        if (image.toString().contains("/jitsi/")) {
          assertEquals(JITSI_TAG, tag, name);
        }
      });
    }
    for (String from : Files.readAllLines(DOCKER.resolve("Dockerfile")).stream().filter(l -> l.startsWith("FROM ")).toList()) {
      assertTrue(from.split("\\s+")[1].matches("[^:]+:\\d[^ ]*.*"), "pinned base image: " + from);
    }
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertEquals(2, dockerfile.lines().filter(l -> l.startsWith("FROM ")).count(), "multi-stage");
    assertTrue(dockerfile.contains("USER kinlink") && dockerfile.contains("HEALTHCHECK"));
  }

  @Test
  void redisFsyncsEveryWriteAndCoturnSharesTheGatewaysTurnSecret() throws Exception {
    Map<String, Object> c = yaml("compose.yaml");
    String redis = String.valueOf(service(c, "redis").get("command"));
    assertTrue(redis.contains("--appendonly, yes") && redis.contains("--appendfsync, always"), redis);
    assertEquals("${TURN_SECRET}", env(c, "gateway").get("KINLINK_TURN_SECRET"));
    assertTrue(String.valueOf(service(c, "coturn").get("command")).contains("--static-auth-secret=${TURN_SECRET}"));
    assertTrue(String.valueOf(service(c, "coturn").get("command")).contains("--use-auth-secret"));
  }

  @Test
  void theUrlsJitsiCallsAreTheGatewaysRoutesOnItsPortWithItsSecret() throws Exception {
    Map<String, Object> base = yaml("compose.yaml");
    Map<String, Object> jitsi = yaml("compose.jitsi.yaml");
    String port = env(base, "gateway").get("KINLINK_PORT");
    assertTrue(String.valueOf(service(base, "gateway").get("ports")).contains(port + ":" + port));
    String origin = "https://gateway:" + port;
    Map<String, String> prosody = env(jitsi, "prosody");
    Map<String, String> jibri = env(jitsi, "jibri");
    assertEquals(origin + JitsiModule.LOGIN_KEYS, prosody.get("JWT_ASAP_KEYSERVER"));
    assertEquals(origin + JitsiModule.RESERVATIONS, prosody.get("PROSODY_RESERVATION_REST_BASE_URL"));
    String global = prosody.get("GLOBAL_CONFIG");
    assertTrue(global.contains("prosody_password_public_key_repo_url = \"" + origin + JitsiModule.SYSTEM_KEYS + "\""), global);
    assertTrue(global.contains("api_prefix = \"" + origin + JitsiModule.EVENTS_PREFIX + "\""), global);
    assertTrue(global.lines().count() == 1 && global.split("\\\\n")[1].startsWith("Component \"event_sync."),
        "the event_sync Component comes after the global setting");
    assertEquals(origin + JitsiModule.JIBRI_WEBHOOKS + "${KINLINK_JITSI_API_SECRET}", jibri.get("JIBRI_WEBHOOK_SUBSCRIBERS"));
    assertEquals(origin, jibri.get("KINLINK_GATEWAY_URL"));

    // one secret: the gateway's, in the reservation header, the event_sync header and the webhook path
    String secret = env(base, "gateway").get("KINLINK_JITSI_API_SECRET");
    assertEquals("${KINLINK_JITSI_API_SECRET}", secret);
    assertTrue(prosody.get("XMPP_CONFIGURATION").contains("\"Bearer " + secret + "\""));
    assertFalse(prosody.get("XMPP_CONFIGURATION").contains(","), "XMPP_CONFIGURATION is split on commas");
    assertTrue(global.contains("\"Bearer " + secret + "\""));

    // the gateway's defaults are what prosody accepts and where it lives
    JitsiConfig dflt = JitsiConfig.parse(Map.of("backend", "jitsi", "jitsi", Map.of("base_url", "https://meet.example.org",
        "prosody_http_url", "http://prosody:5280", "jibri_urls", "http://jibri:" + jibri.get("JIBRI_HTTP_API_EXTERNAL_PORT"))))
        .orElseThrow();
    assertEquals(dflt.issuer(), prosody.get("JWT_ACCEPTED_ISSUERS"));
    assertEquals(dflt.audience(), prosody.get("JWT_ACCEPTED_AUDIENCES"));
    assertEquals(dflt.xmppDomain(), prosody.get("XMPP_DOMAIN"));
    assertEquals(dflt.mucDomain(), prosody.get("XMPP_MUC_DOMAIN"));
    assertEquals(dflt.hiddenDomain(), prosody.get("XMPP_HIDDEN_DOMAIN"));
    assertTrue(global.contains("muc_component = \"" + dflt.mucDomain() + "\""));
    assertTrue(String.valueOf(service(jitsi, "prosody").get("expose")).contains(String.valueOf(dflt.prosodyHttpUrl().getPort())));
    assertTrue(String.valueOf(service(jitsi, "jibri").get("expose")).contains(String.valueOf(dflt.jibriUrls().get(0).getPort())));
    assertTrue(Files.readString(DOCKER.resolve("jitsi/custom-jibri.conf")).contains("external-api-host = \"0.0.0.0\""));
    URI media = URI.create("file:///" + env(base, "gateway").get("KINLINK_MEDIA_CONFIG"));
    assertTrue(String.valueOf(service(base, "gateway").get("volumes")).contains("./media.yaml:" + media.getPath().substring(1)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theGatewayKeepsRecordingsOnAVolumeOfTheirOwnThatItsUserOwns() throws Exception {
    Map<String, Object> base = yaml("compose.yaml");
    String dir = env(base, "gateway").get("KINLINK_RECORDINGS_DIR");
    assertTrue(dir != null && dir.startsWith("/"), "the gateway is told where recordings go");
    String mount = ((List<Object>) service(base, "gateway").get("volumes")).stream().map(String::valueOf)
        .filter(v -> v.endsWith(":" + dir)).findFirst().orElseThrow(() -> new AssertionError("no volume at " + dir));
    assertTrue(((Map<String, Object>) base.get("volumes")).containsKey(mount.substring(0, mount.indexOf(':'))), mount);
    // a named volume takes the image's directory (owner included) on first use: the gateway's user must own it
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("mkdir -p /var/lib/kinlink " + dir) && dockerfile.contains("chown kinlink /var/lib/kinlink " + dir),
        dockerfile);
  }

  @Test
  void prosodyJicofoAndJibriHaveEverySettingThatKeepsTheGatewayTheAuthority() throws Exception {
    Map<String, Object> jitsi = yaml("compose.jitsi.yaml");
    Map<String, String> prosody = env(jitsi, "prosody");
    Map<String, String> expected = Map.ofEntries(Map.entry("ENABLE_AUTH", "1"), Map.entry("AUTH_TYPE", "jwt"),
        Map.entry("JWT_ALLOW_EMPTY", "0"), Map.entry("ENABLE_AUTO_OWNER", "0"), Map.entry("ENABLE_BREAKOUT_ROOMS", "0"),
        Map.entry("ENABLE_END_CONFERENCE", "0"), Map.entry("ENABLE_LOBBY", "0"), Map.entry("ENABLE_GUESTS", "0"),
        Map.entry("ENABLE_RECORDING", "1"), Map.entry("XMPP_MUC_MODULES", "token_affiliation"),
        Map.entry("GLOBAL_MODULES", "muc_end_meeting"), Map.entry("PROSODY_RESERVATION_ENABLED", "true"));
    for (String svc : List.of("prosody", "jicofo", "web")) {
      Map<String, String> e = env(jitsi, svc);
      expected.forEach((k, v) -> {
        if (svc.equals("prosody") || !k.startsWith("XMPP_MUC") && !k.startsWith("GLOBAL") && !k.startsWith("PROSODY")) {
          assertEquals(v, e.get(k), svc + " " + k);
        }
      });
      assertFalse(e.containsKey("JWT_APP_SECRET"), "HS256 app secret would make prosody reject RS256 system tokens");
    }
    assertEquals(Set.of("muc_kick_participant", "filter_iq_jibri"), Set.of(prosody.get("XMPP_MODULES").split(",")));
    Map<String, String> jicofo = env(jitsi, "jicofo");
    assertEquals("0", jicofo.get("JICOFO_ENABLE_AUTH"));
    assertEquals("1", jicofo.get("JICOFO_ENABLE_HEALTH_CHECKS"));
    assertTrue(String.valueOf(service(jitsi, "jibri").get("profiles")).contains("recording"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everySecretTheComposeFilesUseIsOneTheScriptGenerates() throws Exception {
    String script = Files.readString(DOCKER.resolve("gen-secrets.sh"));
    Set<String> generated = new HashSet<>();
    Matcher g = Pattern.compile("(?m)^([A-Z_]+)=").matcher(script);
    while (g.find()) {
      generated.add(g.group(1));
    }
    Set<String> used = new HashSet<>();
    for (String file : List.of("compose.yaml", "compose.jitsi.yaml")) {
      Matcher m = Pattern.compile("\\$\\{([A-Z_]+)\\}").matcher(Files.readString(DOCKER.resolve(file)));
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    assertFalse(used.isEmpty());
    used.forEach(v -> assertTrue(generated.contains(v), v + " is used but gen-secrets.sh does not write it"));
    assertTrue(Files.readString(Path.of("..", ".gitignore")).contains("docker/.env"), "the secrets are never committed");
  }

  @Test
  @SuppressWarnings("unchecked")
  void monitoringAndRecordingHaveWhatTheGatewayAndJitsiExpectOfEachOther() throws Exception {
    Map<String, Object> jitsi = yaml("compose.jitsi.yaml");
    Map<String, String> prosody = env(jitsi, "prosody");
    // the example establishment on Jitsi in media.yaml is valid and names the account the script creates
    String example = Files.readString(DOCKER.resolve("media.yaml")).lines()
        .dropWhile(l -> !l.contains("# HMP-NORTH:")).map(l -> l.replaceFirst("^  # ", "")).map(l -> l.replaceFirst("\\s+#.*$", ""))
        .reduce("", (a, b) -> a + b + "\n");
    Map<String, Object> est = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).<Map<String, Object>>load(example)
        .get("HMP-NORTH");
    JitsiConfig north = JitsiConfig.parse((Map<String, Object>) est.get("media")).orElseThrow();
    String script = Files.readString(DOCKER.resolve("jitsi/register-monitor.sh"));
    assertTrue(script.contains("MONITOR_USER=" + north.monitorUser() + "\n"), "the script creates media.yaml's monitor_user");
    assertTrue(script.contains("HIDDEN_DOMAIN=" + prosody.get("XMPP_HIDDEN_DOMAIN") + "\n"));
    assertEquals(prosody.get("XMPP_HIDDEN_DOMAIN"), north.hiddenDomain());
    assertEquals("1", prosody.get("ENABLE_RECORDING"), "the hidden domain exists only with recording enabled");
    assertTrue(script.contains("KINLINK_JITSI_MONITOR_PASSWORD") && script.contains("shell user create"));
    assertEquals("${KINLINK_JITSI_MONITOR_PASSWORD}", env(jitsi, "gateway").get("KINLINK_JITSI_MONITOR_PASSWORD"));
    assertTrue(String.valueOf(service(jitsi, "prosody").get("volumes")).contains(":/config/data"), "the account survives a restart");
    assertEquals(2048L * 1024 * 1024, north.recordingMaxBytes());

    Map<String, String> jibri = env(jitsi, "jibri");
    String finalize = jibri.get("JIBRI_FINALIZE_RECORDING_SCRIPT_PATH");
    assertTrue(String.valueOf(service(jitsi, "jibri").get("volumes")).contains("./jitsi/finalize.sh:" + finalize + ":ro"));
    String upload = Files.readString(DOCKER.resolve("jitsi/finalize.sh"));
    assertTrue(upload.contains(" -T ") && !upload.contains("--data-binary"), "a recording is streamed, not read into memory");
    assertTrue(upload.contains(JitsiModule.RECORDINGS) && upload.contains("Bearer ${KINLINK_JITSI_API_SECRET}"));
    assertEquals("1", env(jitsi, "jicofo").get("JICOFO_ENABLE_REST"));
  }
}
