package org.kinlink.gateway.jitsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.support.KinlinkExtension;
import org.kinlink.gateway.support.TestBrowser;

/**
 * The web client's Jitsi adapter in Chromium, against a loopback stand-in for the Jitsi web
 * container: it serves {@code /libs/lib-jitsi-meet.min.js} defining a {@code JitsiMeetJS} that
 * records how it is driven and plays back the lib-jitsi-meet events (a fake of Jitsi, not of Kinlink).
 */
class JitsiAdapterBrowserTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();
  static HttpServer web;
  static String origin;
  static TestBrowser chromium;

  static final String FAKE_LIB = """
      window.jitsiLog = [];
      const listeners = {};
      function on(map, ev, fn) { (map[ev] = map[ev] || []).push(fn); }
      window.fire = (ev, ...args) => (listeners[ev] || []).forEach((f) => f(...args));
      window.JitsiMeetJS = {
        events: {
          connection: { CONNECTION_ESTABLISHED: 'c.up', CONNECTION_FAILED: 'c.failed', CONNECTION_DISCONNECTED: 'c.down' },
          conference: { TRACK_ADDED: 't.add', TRACK_REMOVED: 't.rm', USER_JOINED: 'u.in', USER_LEFT: 'u.out',
            KICKED: 'kicked', CONFERENCE_FAILED: 'failed' },
        },
        errors: { conference: { CONFERENCE_DESTROYED: 'destroyed', RESERVATION_ERROR: 'reservation' } },
        init() { jitsiLog.push(['init']); },
        JitsiConnection: function (appId, token, options) {
          jitsiLog.push(['connection', appId, token, options]);
          this.addEventListener = (ev, fn) => on(listeners, ev, fn);
          this.connect = (opts) => { jitsiLog.push(['connect', opts || null]); setTimeout(() => fire('c.up'), 0); };
          this.disconnect = () => jitsiLog.push(['disconnect']);
          this.initJitsiConference = (room, opts) => {
            jitsiLog.push(['conference', room, opts]);
            return { on: (ev, fn) => on(listeners, ev, fn), addTrack: () => jitsiLog.push(['addTrack']),
              join: () => jitsiLog.push(['join']), leave: () => jitsiLog.push(['leave']) };
          };
        },
        createLocalTracks: async () => { jitsiLog.push(['createLocalTracks']); return []; },
      };
      """;

  @BeforeAll
  static void start() {
    Router router = Router.router(kinlink.vertx());
    router.get("/libs/lib-jitsi-meet.min.js").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/javascript").end(FAKE_LIB));
    router.get("/test.html").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html")
        .end("<!doctype html><html lang=en><title>t</title><script type=module>"
            + "import { joinJitsi } from '/assets/js/call/jitsi-adapter.js'; window.joinJitsi = joinJitsi;"
            + "window.ready = true;</script>"));
    router.route("/*").handler(StaticHandler.create("webroot"));
    web = kinlink.vertx().createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    origin = "http://127.0.0.1:" + web.actualPort();
    chromium = TestBrowser.start();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    web.close();
  }

  static JsonObject join(String libraryOrigin) {
    return new JsonObject().put("base_url", origin).put("library_url", libraryOrigin + "/libs/lib-jitsi-meet.min.js")
        .put("service_url", "ws://127.0.0.1/xmpp-websocket?room=call-1").put("domain", "meet.jitsi")
        .put("muc", "muc.meet.jitsi").put("hidden_domain", "hidden.meet.jitsi").put("room", "call-1").put("jwt", "the.gateway.token");
  }

  @Test
  void aMonitorSignsInWithTheHiddenAccountSendsNothingAndKeepsNoPassword() {
    try (var context = chromium.browser().newContext()) {
      Page page = context.newPage();
      page.navigate(origin + "/test.html");
      page.waitForFunction("() => window.ready === true");
      JsonObject join = join(origin);
      join.remove("jwt");
      join.put("role", "MONITOR").put("receive_only", true)
          .put("login", java.util.Map.of("id", "kinlink-monitor@hidden.meet.jitsi", "password", "pw-0123456789abcdef"));
      Object kept = page.evaluate("async (join) => { window.call = await joinJitsi(join, {}); return JSON.stringify(join); }",
          join.getMap());
      String l = page.evaluate("() => JSON.stringify(jitsiLog)").toString();
      assertTrue(l.contains("[\"connect\",{\"id\":\"kinlink-monitor@hidden.meet.jitsi\",\"password\":\"pw-0123456789abcdef\"}]"), l);
      assertTrue(l.contains("[\"connection\",null,null,"), "no participant token: " + l);
      assertTrue(l.contains("[\"conference\",\"call-1\",{\"hiddenDomain\":\"hidden.meet.jitsi\"}]"), l);
      assertFalse(l.contains("createLocalTracks") || l.contains("addTrack"), "receive-only: no camera, no microphone: " + l);
      assertFalse(kept.toString().contains("pw-0123456789abcdef"), "the password is not kept in the page: " + kept);
    }
  }

  @Test
  void joinsTheRoomWithTheGatewaysTokenAndEndsWhenTheRoomIsDestroyed() {
    try (var context = chromium.browser().newContext()) {
      Page page = context.newPage();
      page.navigate(origin + "/test.html");
      page.waitForFunction("() => window.ready === true");
      page.evaluate("async (join) => { window.ended = null; window.remote = [];"
          + "window.call = await joinJitsi(join, { receiveOnly: true, onEnded: (w) => { window.ended = w; },"
          + " onRoster: (id, name, joined) => window.remote.push([id, name, joined]) }); }", join(origin).getMap());
      Object log = page.evaluate("() => JSON.stringify(jitsiLog)");
      String l = log.toString();
      assertTrue(l.contains("[\"connection\",null,\"the.gateway.token\",{\"hosts\":{\"domain\":\"meet.jitsi\",\"muc\":\"muc.meet.jitsi\"},"
          + "\"serviceUrl\":\"ws://127.0.0.1/xmpp-websocket?room=call-1\"}]"), l);
      assertTrue(l.contains("[\"conference\",\"call-1\",{\"hiddenDomain\":\"hidden.meet.jitsi\"}]") && l.endsWith("[\"join\"]]"), l);
      assertTrue(!l.contains("addTrack"), "receive-only sends nothing");
      page.evaluate("() => fire('u.in', 'abc', { getDisplayName: () => 'Ann' })");
      assertEquals("[[\"abc\",\"Ann\",true]]", page.evaluate("() => JSON.stringify(window.remote)"));
      page.evaluate("() => fire('failed', 'destroyed')");
      assertEquals("destroyed", page.evaluate("() => window.ended"));
      assertTrue(page.evaluate("() => JSON.stringify(jitsiLog)").toString().contains("[\"disconnect\"]"));
    }
  }

  @Test
  void refusesALibraryFromAnotherOrigin() {
    try (var context = chromium.browser().newContext()) {
      Page page = context.newPage();
      page.navigate(origin + "/test.html");
      page.waitForFunction("() => window.ready === true");
      Object msg = page.evaluate("async (join) => { try { await joinJitsi(join, {}); return 'joined'; } catch (e) { return e.message; } }",
          join("http://127.0.0.2:1").getMap());
      assertEquals("lib-jitsi-meet must come from the establishment's Jitsi server", msg);
      assertEquals(false, page.evaluate("() => !!window.JitsiMeetJS"));
    }
  }
}
