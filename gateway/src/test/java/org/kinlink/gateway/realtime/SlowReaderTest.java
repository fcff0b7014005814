package org.kinlink.gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.messaging.MessagingFixture;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.support.KinlinkExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that stops reading is disconnected; the node does not buffer frames for it without bound. */
class SlowReaderTest {

  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aClientThatStopsReadingIsDisconnectedInsteadOfBuffered() throws Exception {
    Gateway gateway = kinlink.gateway();
    try (Socket raw = new Socket()) {
      MessagingFixture f = new MessagingFixture(gateway, kinlink.client());
      var carer = f.person(PersonKind.CARER);
      raw.setReceiveBufferSize(4096);
      raw.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
      OutputStream out = raw.getOutputStream();
      InputStream in = raw.getInputStream();
      out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      readUntil(in, "\r\n\r\n");
      out.write(maskedText(new JsonObject().put("type", "auth").put("access_token", carer.token()).encode()));
      readUntil(in, "ready");
      Realtime hub = gateway.services().realtime();
      List<Client> clients = hub.clientsOf(carer.id());
      assertTrue(clients.size() == 1, "the socket is signed in");
      Client client = clients.get(0);

      // from now on the client reads nothing; the node keeps pushing 32 KB frames
      JsonObject frame = new JsonObject().put("type", "message.new").put("padding", "x".repeat(32 * 1024));
      int pushed = 0;
      while (client.isOpen() && pushed < 2000) {
        client.send(frame);
        pushed++;
      }
      assertFalse(client.isOpen(), "still open after " + pushed + " frames (" + pushed * 32 + " KB) unread");
      assertTrue(pushed < 2000);
      assertTrue(pushed * 32 >= 256, "closed only once its queue passed the 256 KB bound (" + pushed + " frames)");
    }
  }

  private static void readUntil(InputStream in, String marker) throws Exception {
    StringBuilder seen = new StringBuilder();
    while (seen.indexOf(marker) < 0) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed before " + marker + ": " + seen);
      }
      seen.append((char) b);
    }
  }

  /** One client-to-server text frame (clients must mask). */
  private static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    int header = payload.length < 126 ? 2 : 4;
    byte[] frame = new byte[header + 4 + payload.length];
    frame[0] = (byte) 0x81;
    if (payload.length < 126) {
      frame[1] = (byte) (0x80 | payload.length);
    } else {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (payload.length >> 8);
      frame[3] = (byte) payload.length;
    }
    System.arraycopy(mask, 0, frame, header, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }
}
