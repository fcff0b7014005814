package org.kinlink.gateway.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A QR code drawn with Unicode half blocks, two module rows per text line, so that an authenticator
 * app can scan it off the operator's terminal. Light modules (and the quiet zone) are drawn, dark
 * ones left blank: on the usual light-on-dark terminal that shows dark modules on a light field,
 * as scanners expect.
 */
final class TerminalQr {
  private TerminalQr() {}

  static String render(String text) {
    BitMatrix m;
    try {
      m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.MARGIN, 2, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L));
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot draw a QR code of that text: " + e.getMessage(), e);
    }
    StringBuilder out = new StringBuilder();
    for (int y = 0; y < m.getHeight(); y += 2) {
      for (int x = 0; x < m.getWidth(); x++) {
        boolean topLight = !m.get(x, y);
        boolean bottomLight = y + 1 >= m.getHeight() || !m.get(x, y + 1);
        out.append(topLight ? (bottomLight ? '█' : '▀') : (bottomLight ? '▄' : ' '));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
