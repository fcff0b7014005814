package org.kinlink.gateway.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The gateway under test, spoken to over raw sockets: a fuzzer has to send what an HTTP client
 * library would refuse to (no Host, broken request lines, conflicting lengths, bad frames).
 */
final class FuzzTarget {
  /** No answer: the server closed (or the read timed out) before a status line came. */
  static final int NO_ANSWER = -1;
  static final int TIMED_OUT = -2;

  private final String host;
  private final int port;
  private final boolean tls;
  private final SSLSocketFactory ssl;

  FuzzTarget(URI url) {
    this.host = url.getHost();
    this.tls = "https".equals(url.getScheme());
    this.port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    this.ssl = tls ? trustAll() : null;
  }

  String hostHeader() {
    return host + ":" + port;
  }

  /** One answer's status and, for the few the fuzzer reads (sign-in), its body. */
  record Answer(int status, String body) {}

  /** Sends one request on its own connection and reads the answer's status (and body). */
  Answer exchange(byte[] request) {
    try (Socket socket = open()) {
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException closedWhileSending) {
        // a server may answer (413, 431) and close before it has read everything: read what it said
      }
      return read(socket.getInputStream());
    } catch (SocketTimeoutException e) {
      return new Answer(TIMED_OUT, "");
    } catch (IOException e) {
      return new Answer(NO_ANSWER, "");
    }
  }

  /**
   * A WebSocket opened with {@code handshake}, then {@code frames} sent: the handshake's status, and
   * whether the server then closed the connection (as it must after a protocol error).
   */
  Answer websocket(byte[] handshake, byte[] frames) {
    try (Socket socket = open()) {
      socket.getOutputStream().write(handshake);
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      int status = status(head);
      if (status != 101) {
        return new Answer(status, "");
      }
      try {
        socket.getOutputStream().write(frames);
        socket.getOutputStream().flush();
      } catch (IOException closed) {
        return new Answer(101, "closed");
      }
      byte[] buf = new byte[8192];
      try {
        while (in.read(buf) >= 0) {
          // frames the server sends (a close frame) until it closes
        }
        return new Answer(101, "closed");
      } catch (SocketTimeoutException stillOpen) {
        return new Answer(101, "open");
      } catch (IOException reset) {
        return new Answer(101, "closed");
      }
    } catch (SocketTimeoutException e) {
      return new Answer(TIMED_OUT, "");
    } catch (IOException e) {
      return new Answer(NO_ANSWER, "");
    }
  }

  private Socket open() throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(host, port), 5000);
    plain.setSoTimeout(10_000);
    if (!tls) {
      return plain;
    }
    Socket s = ssl.createSocket(plain, host, port, true);
    s.setSoTimeout(10_000);
    return s;
  }

  private static Answer read(InputStream in) throws IOException {
    String head = readHead(in);
    int status = status(head);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int length = contentLength(head);
    byte[] buf = new byte[8192];
    int n;
    while ((length < 0 || body.size() < length) && body.size() < 1 << 20 && (n = in.read(buf)) >= 0) {
      body.write(buf, 0, n);
    }
    return new Answer(status, body.toString(StandardCharsets.UTF_8));
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    int b;
    while ((b = in.read()) >= 0 && head.size() < 65_536) {
      head.write(b);
      last4 = (last4 << 8) | b;
      if (last4 == 0x0d0a0d0a) {
        break;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static int status(String head) {
    String[] parts = head.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      return NO_ANSWER;
    }
    try {
      return Integer.parseInt(parts[1].trim());
    } catch (NumberFormatException e) {
      return NO_ANSWER;
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        try {
          return Integer.parseInt(line.substring(15).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static SSLSocketFactory trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      // the fuzzer talks to a gateway whose self-signed certificate it has no reason to check
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context.getSocketFactory();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
