package org.kinlink.gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.config.HttpSettings;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * A live socket is a connection whose request head (the upgrade) arrived: the header timeout that
 * closes half-open connections must never close it. Before the fix every /ws socket was closed
 * with code 1000 when the header timeout ran out.
 */
class SocketTimeoutsTest {
  private static final Duration HEADER_TIMEOUT = Duration.ofMillis(300);

  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create().configure(c -> c.withHttp(HttpSettings.defaults()
      .withConnections(Duration.ofSeconds(60), HEADER_TIMEOUT, 1000, 64)));

  @Test
  void theHeaderTimeoutClosesAHalfOpenConnectionButNotASignedInSocket() throws IOException {
    String token = kinlink.establishment().signedInPerson(kinlink.client(), PersonKind.CARER).token();
    try (TestSocket ws = TestSocket.signedIn(kinlink.vertx(), kinlink.gateway(), token);
        Socket halfOpen = new Socket(InetAddress.getLoopbackAddress(), kinlink.gateway().port())) {
      // the half-open connection was made after the socket, so once the server has closed it the
      // socket's own header timer has run out too: that close is the event the test waits for
      assertEquals(-1, readUntilClosed(halfOpen), "a connection that never sends a request head is closed");
      ws.send(new JsonObject().put("type", "ping").put("ref", "still-there"));
      assertEquals("pong", ws.next(f -> "still-there".equals(f.getValue("ref"))).getString("type"),
          "the signed-in socket is still open after the header timeout");
    }
  }

  private static int readUntilClosed(Socket s) throws IOException {
    s.setSoTimeout(30_000);
    InputStream in = s.getInputStream();
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return 0;
    }
  }
}
