package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.support.KinlinkExtension;

/** Photos in conversations over the real API and the real Redis: cleaned, limited, held, sealed. */
class PhotosApiTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static final String SECRET_TAG = "GPS 51.4816N 3.1791W Canon EOS Leo Smith";

  private Gateway gateway;
  private MessagingFixture f;

  @BeforeEach
  void fixture() {
    gateway = kinlink.gateway();
    gateway.services().messaging().randomHolds().setShare(0);
    f = new MessagingFixture(gateway, kinlink.client());
  }

  @Test
  void aPhotoArrivesReEncodedWithNoExifAndWithAThumbnail() throws IOException {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", photos(false));
    byte[] withExif = withExif(jpeg(800, 600));
    assertTrue(new String(withExif, StandardCharsets.ISO_8859_1).contains(SECRET_TAG), "the upload carries the EXIF block");

    String clientId = "p-" + UUID.randomUUID();
    HttpResponse<Buffer> sent = upload(carer, contact, clientId, withExif);
    assertEquals(201, sent.statusCode(), sent.bodyAsString());
    HttpResponse<Buffer> again = upload(carer, contact, clientId, withExif);
    assertEquals(200, again.statusCode(), "a retry answers the first photo");
    assertEquals(sent.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"));
    assertEquals("SENT", sent.bodyAsJsonObject().getString("status"));
    List<JsonObject> seen = f.items(mother, contact);
    assertEquals(1, seen.size());
    JsonObject photo = seen.get(0).getJsonObject("photo");
    assertNotNull(photo, "the mother sees a photo message");
    assertEquals(800, photo.getInteger("width"));

    HttpResponse<Buffer> full = get(mother, photo.getString("url"));
    assertEquals(200, full.statusCode(), full.bodyAsString());
    assertEquals("image/jpeg", full.getHeader("Content-Type"));
    byte[] bytes = full.body().getBytes();
    assertFalse(hasApp1(bytes), "no APP1 (EXIF/XMP) segment survives");
    assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("Exif"));
    assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(SECRET_TAG));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    assertEquals(800, img.getWidth());
    assertEquals(600, img.getHeight());

    HttpResponse<Buffer> thumb = get(mother, photo.getString("thumb_url"));
    assertEquals(200, thumb.statusCode());
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumb.body().getBytes()));
    assertEquals(PhotoImages.THUMB_EDGE, small.getWidth());

    // one photo despite the retry, audited once
    assertEquals(1, f.audit("photo.send").size());
    assertEquals("DELIVERED", f.audit("photo.send").get(0).getString("outcome"));
  }

  @Test
  void aHugeImageHeaderIsRefusedBeforeDecodingAndGarbageIsRefused() {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", photos(false));

    // 20000 x 20000 claimed in a 60-byte file: decoding it would need 1.6 GB
    HttpResponse<Buffer> bomb = upload(carer, contact, "bomb-1", pngHeader(20_000, 20_000));
    assertEquals(400, bomb.statusCode(), bomb.bodyAsString());
    JsonObject error = bomb.bodyAsJsonObject().getJsonObject("error");
    assertEquals("PHOTO_TOO_LARGE", error.getString("code"));
    assertTrue(error.getString("message").contains("20000 x 20000"), error.getString("message"));

    for (byte[] junk : List.of("hello, this is not a picture".getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3}, new byte[0])) {
      HttpResponse<Buffer> r = upload(carer, contact, "junk-" + UUID.randomUUID(), junk);
      assertEquals(400, r.statusCode(), r.bodyAsString());
      JsonObject e = r.bodyAsJsonObject().getJsonObject("error");
      assertTrue(e.getString("code").startsWith("INVALID"), e.encode());
      assertFalse(e.getString("message").contains("Exception"), e.getString("message"));
    }
    assertTrue(f.items(mother, contact).isEmpty(), "nothing was sent");
  }

  @Test
  void aHeldPhotoReachesNobodyUntilSecurityReleasesItAndRedisHoldsNoPlaintext() throws IOException {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", photos(true));
    byte[] drawing = jpeg(640, 480);

    HttpResponse<Buffer> sent = upload(carer, contact, "held-1", drawing);
    assertEquals(201, sent.statusCode(), sent.bodyAsString());
    assertEquals("HELD", sent.bodyAsJsonObject().getString("status"));
    String id = sent.bodyAsJsonObject().getString("id");
    String url = sent.bodyAsJsonObject().getJsonObject("message").getJsonObject("photo").getString("url");
    assertTrue(f.items(mother, contact).isEmpty(), "the mother sees nothing yet");
    assertEquals(404, get(mother, url).statusCode(), "nor can she fetch it");

    String security = f.security();
    HttpResponse<Buffer> forSecurity = Gateway.await(f.client.get(url).putHeader("Authorization", "Bearer " + security).send());
    assertEquals(200, forSecurity.statusCode(), "security sees the held photo to review it");
    JsonObject queued = f.reviews(security).getJsonArray("items").getJsonObject(0);
    assertEquals("PHOTO", queued.getString("kind"));
    assertEquals(url, queued.getJsonObject("photo").getString("url"));

    // Redis holds the photo sealed only: no JPEG, no JFIF header, no bytes of what was sent
    Map<String, String> stored = Gateway.await(gateway.services().redis()
        .<Map<String, String>>call(c -> c.hgetall(Keys.conversationPhotos(contact))));
    assertEquals(2, stored.size());
    for (String v : stored.values()) {
      byte[] raw = java.util.Base64.getDecoder().decode(v);
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      assertFalse(raw.length > 2 && (raw[0] & 0xff) == 0xFF && (raw[1] & 0xff) == 0xD8, "not a plain JPEG");
      assertFalse(text.contains("JFIF"));
    }

    assertEquals(200, f.decide(security, id, "RELEASE", "A child's drawing.").statusCode());
    List<JsonObject> seen = f.items(mother, contact);
    assertEquals(1, seen.size());
    HttpResponse<Buffer> now = get(mother, url);
    assertEquals(200, now.statusCode());
    assertEquals(640, ImageIO.read(new ByteArrayInputStream(now.body().getBytes())).getWidth());
  }

  // ---------------------------------------------------------------- helpers

  /** A policy with the photo channel, photos reviewed first or not (photos are reviewed unless the policy says otherwise). */
  /** A phone's photo of a drawing is several megabytes: more than other requests may be, within the photo limit. */
  @Test
  void aPhotoOfSeveralMegabytesIsTakenAndOneOverThePhotoLimitIsRefusedInWords() throws IOException {
    var mother = f.mother();
    var carer = f.person(PersonKind.CARER);
    String contact = f.contact(mother.id(), carer.id(), "CARER", photos(false));
    byte[] big = noisyPng(1100, 1100);
    assertTrue(big.length > gateway.config().maxBodyBytes(), "the photo is bigger than the ordinary body limit: " + big.length);
    HttpResponse<Buffer> sent = upload(carer, contact, "big-1", big);
    assertEquals(201, sent.statusCode(), sent.bodyAsString());
    byte[] tooBig = new byte[PhotoImages.MAX_BYTES + 128 * 1024];
    HttpResponse<Buffer> refused = upload(carer, contact, "too-big-1", tooBig);
    assertEquals(413, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsJsonObject().getJsonObject("error").getString("message").length() > 10);
  }

  private static byte[] noisyPng(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(7);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static JsonObject photos(boolean reviewed) {
    return new JsonObject().put("channels", new io.vertx.core.json.JsonArray(List.of("MESSAGE", "VIDEO", "PHOTO")))
        .put("content", new JsonObject().put("review_photos", reviewed));
  }

  private HttpResponse<Buffer> upload(MessagingFixture.SignedIn who, String contact, String clientId, byte[] bytes) {
    return Gateway.await(f.client.post("/api/v1/conversations/" + contact + "/photos?client_id=" + clientId)
        .putHeader("Authorization", "Bearer " + who.token()).putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(bytes)));
  }

  private HttpResponse<Buffer> get(MessagingFixture.SignedIn who, String url) {
    return Gateway.await(f.client.get(url).putHeader("Authorization", "Bearer " + who.token()).send());
  }

  private static byte[] jpeg(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.YELLOW);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLUE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  /** The JPEG with an APP1 EXIF segment (a TIFF header, a GPS IFD pointer and camera/GPS text) after SOI. */
  private static byte[] withExif(byte[] jpeg) {
    byte[] text = SECRET_TAG.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4 + text.length);
    tiff.put(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
    tiff.putShort((short) 1).putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(26); // GPSInfo IFD pointer
    tiff.putInt(0);
    tiff.put(text);
    byte[] exif = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
    int len = 2 + exif.length + tiff.capacity();
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + len);
    out.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) len).put(exif).put(tiff.array());
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  /** True when a JPEG has an APP1 segment before its image data. */
  private static boolean hasApp1(byte[] b) {
    int i = 2;
    while (i + 4 <= b.length && (b[i] & 0xff) == 0xFF) {
      int marker = b[i + 1] & 0xff;
      if (marker == 0xE1) {
        return true;
      }
      if (marker == 0xDA) {
        return false; // start of scan: headers are over
      }
      i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
    }
    return false;
  }

  /** A PNG signature and an IHDR claiming {@code w x h} RGBA pixels, then IEND: no pixel data at all. */
  private static byte[] pngHeader(int w, int h) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0)
        .put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
