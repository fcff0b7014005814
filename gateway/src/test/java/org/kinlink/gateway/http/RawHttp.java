package org.kinlink.gateway.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Bytes on a socket, for what an HTTP client library would refuse to send (no Host, a broken request line). */
final class RawHttp {
  private RawHttp() {}

  /** An answer as text: status line, headers, body. */
  record Answer(int status, String head, String body) {
    boolean hasHeader(String name) {
      return head.toLowerCase().contains("\r\n" + name.toLowerCase() + ":");
    }
  }

  /** Sends {@code request} and reads until the server closes or has sent one whole answer. */
  static Answer exchange(int port, String request) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return read(s.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (true) {
      String text = bytes.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        String head = text.substring(0, end + 2);
        int length = contentLength(head);
        if (length >= 0 && text.length() >= end + 4 + length) {
          return answer(head, text.substring(end + 4, end + 4 + length));
        }
      }
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        n = -1;
      }
      if (n < 0) {
        int e = text.indexOf("\r\n\r\n");
        if (e < 0) {
          throw new IOException("no complete answer: " + text);
        }
        return answer(text.substring(0, e + 2), text.substring(e + 4));
      }
      bytes.write(buf, 0, n);
    }
  }

  private static Answer answer(String head, String body) {
    String[] status = head.split(" ", 3);
    return new Answer(Integer.parseInt(status[1]), head, body);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }

  /** A connection from {@code source} (a 127.x address) that sends nothing. */
  static Socket idle(int port, String source) {
    try {
      Socket s = new Socket();
      s.bind(new InetSocketAddress(source, 0));
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * True once the server has closed the connection (end of stream or reset), reading past whatever
   * it still sends; false when it is still open after {@code waitMillis} of silence.
   */
  static boolean closedByServer(Socket s, int waitMillis) {
    try {
      s.setSoTimeout(waitMillis);
      byte[] rest = new byte[4096];
      while (true) {
        if (s.getInputStream().read(rest) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
