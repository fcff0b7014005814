package org.kinlink.gateway.messaging;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.kinlink.gateway.domain.DomainException;

/**
 * Turns an uploaded JPEG or PNG into a clean JPEG and a thumbnail. The size and the pixel count
 * are checked from the header before any pixel is decoded (a small file can claim a huge image),
 * and only the decoded pixels are written out again, so no metadata (EXIF GPS, camera, names,
 * comments) survives. Blocking: run on a worker.
 */
public final class PhotoImages {
  public static final int MAX_BYTES = 8 * 1024 * 1024;
  static final long MAX_PIXELS = 40_000_000L;
  static final int THUMB_EDGE = 320;
  private static final String NOT_AN_IMAGE = "This file is not a photo we can send. Choose a JPEG or PNG picture.";

  private PhotoImages() {}

  /** The re-encoded photo and its thumbnail (both JPEG). */
  record Clean(byte[] full, byte[] thumb, int width, int height) {}

  static Clean clean(byte[] upload) {
    if (upload == null || upload.length == 0) {
      throw DomainException.invalid("INVALID_PHOTO", "Choose a photo to send.", "photo");
    }
    if (upload.length > MAX_BYTES) {
      throw DomainException.invalid("PHOTO_TOO_LARGE", "A photo can be at most " + MAX_BYTES / (1024 * 1024) + " MB.", "photo");
    }
    String format = format(upload);
    if (format == null) {
      throw DomainException.invalid("INVALID_PHOTO", NOT_AN_IMAGE, "photo");
    }
    BufferedImage decoded;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
      if (!readers.hasNext()) {
        throw DomainException.invalid("INVALID_PHOTO", NOT_AN_IMAGE, "photo");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true); // ignoreMetadata: the metadata is never even parsed
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
          throw DomainException.invalid("INVALID_PHOTO", NOT_AN_IMAGE, "photo");
        }
        if (w * h > MAX_PIXELS) {
          throw DomainException.invalid("PHOTO_TOO_LARGE", "This picture is too big (" + w + " x " + h
              + " pixels). A photo can have at most " + MAX_PIXELS / 1_000_000 + " million pixels.", "photo");
        }
        decoded = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DomainException d) {
        throw d;
      }
      throw DomainException.invalid("INVALID_PHOTO", NOT_AN_IMAGE, "photo");
    }
    BufferedImage rgb = flatten(decoded, decoded.getWidth(), decoded.getHeight());
    double scale = Math.min(1.0, (double) THUMB_EDGE / Math.max(rgb.getWidth(), rgb.getHeight()));
    BufferedImage thumb = flatten(rgb, Math.max(1, (int) Math.round(rgb.getWidth() * scale)),
        Math.max(1, (int) Math.round(rgb.getHeight() * scale)));
    return new Clean(jpeg(rgb, 0.88f), jpeg(thumb, 0.8f), rgb.getWidth(), rgb.getHeight());
  }

  /** "jpeg" or "png" from the magic bytes, or null: the file name and declared type are not trusted. */
  static String format(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
      return "jpeg";
    }
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (b.length < png.length) {
      return null;
    }
    for (int i = 0; i < png.length; i++) {
      if (b[i] != png[i]) {
        return null;
      }
    }
    return "png";
  }

  /** Opaque RGB pixels (transparency on white), scaled to w x h: nothing of the source but pixels. */
  private static BufferedImage flatten(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] jpeg(BufferedImage img, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a JPEG", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
