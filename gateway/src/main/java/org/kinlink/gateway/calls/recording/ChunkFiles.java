package org.kinlink.gateway.calls.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.regex.Pattern;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.ops.DataDir;

/**
 * Recordings' sealed chunks as files, {@code <dir>/<recording id>/<seq>.chunk} (directories 0700, files
 * 0600, as the data dir's), so that Redis holds a recording's counters and not its media. A chunk is
 * durable before it is answered for: written to a temp file beside it and fsynced, then published by a
 * hard link, which never replaces a chunk already there (the first complete one is kept), then the
 * directory fsynced. Every node must see the same directory. Blocking: call it on a worker.
 */
public final class ChunkFiles {
  /** What {@code Aead.seal} adds to a chunk: version byte, nonce, tag. */
  static final int SEAL_OVERHEAD = 1 + Aead.NONCE_BYTES + Aead.TAG_BYTES;
  /** The ids the gateway makes ({@code rec-<call uuid>-<participant>}, {@code rec-<call uuid>-jibri-<hex>}): no dot, no separator. */
  private static final Pattern RECORDING_ID = Pattern.compile("rec-[A-Za-z0-9_-]{1,200}");
  private static final String SUFFIX = ".chunk";

  private final Path dir;
  private final FileAttribute<?>[] privateDirectory;
  private final FileAttribute<?>[] privateFile;

  /** The store under {@code dir}, made (0700) if it is not there. */
  public ChunkFiles(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.dir);
      boolean posix = Files.getFileStore(this.dir).supportsFileAttributeView("posix");
      privateDirectory = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DataDir.DIRECTORY)} : new FileAttribute<?>[0];
      privateFile = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DataDir.FILE)} : new FileAttribute<?>[0];
      if (posix) {
        Files.setPosixFilePermissions(this.dir, DataDir.DIRECTORY);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the recordings directory " + this.dir + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Whether a chunk was published by this write, and the sealed length of the one now in place. */
  public record Written(boolean fresh, long sealedBytes) {
    /** The plaintext length of the chunk in place (the first one written, whoever wrote it). */
    public long plainBytes() {
      return sealedBytes - SEAL_OVERHEAD;
    }
  }

  /** Where chunk {@code seq} of {@code recordingId} lives (whether or not it does yet). */
  public Path path(String recordingId, long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("a chunk's seq is 0 or more, not " + seq);
    }
    return recording(recordingId).resolve(seq + SUFFIX);
  }

  /** Writes chunk {@code seq} durably unless one is already there, which is then kept as it is. */
  public Written write(String recordingId, long seq, byte[] sealed) throws IOException {
    Path target = path(recordingId, seq);
    Path folder = target.getParent();
    if (Files.exists(target)) {
      // a replay: its writer may have died before the directory was synced, so sync it before this counts it
      sync(folder);
      return new Written(false, Files.size(target));
    }
    if (!Files.isDirectory(folder)) {
      try {
        Files.createDirectory(folder, privateDirectory);
      } catch (FileAlreadyExistsException raced) {
        // another node's first chunk of the same recording
      }
      sync(dir);
    }
    Path temp = folder.resolve("." + seq + "." + UUID.randomUUID() + ".tmp");
    boolean fresh;
    try {
      try (FileChannel out = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), privateFile)) {
        ByteBuffer b = ByteBuffer.wrap(sealed);
        while (b.hasRemaining()) {
          out.write(b);
        }
        out.force(true);
      }
      try {
        Files.createLink(target, temp);
        fresh = true;
      } catch (FileAlreadyExistsException raced) {
        fresh = false;
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    sync(folder);
    return new Written(fresh, fresh ? sealed.length : Files.size(target));
  }

  /**
   * {@code <dir>/<name>}, made owner-only like a recording's directory if it is not there: for what
   * lives beside the recordings ({@link SharedRecordingsDir}'s markers). Not a recording id (those
   * begin {@code rec-}), so no recording can land in it.
   */
  Path beside(String name) throws IOException {
    Path folder = dir.resolve(name).normalize();
    if (!dir.equals(folder.getParent()) || RECORDING_ID.matcher(name).matches()) {
      throw new IllegalArgumentException("not a name beside the recordings: " + name);
    }
    if (!Files.isDirectory(folder)) {
      try {
        Files.createDirectory(folder, privateDirectory);
      } catch (FileAlreadyExistsException raced) {
        // another node made it first
      }
    }
    return folder;
  }

  /** Creates {@code file} empty and owner-only unless it is there. */
  void touch(Path file) throws IOException {
    try {
      Files.createFile(file, privateFile);
    } catch (FileAlreadyExistsException there) {
      // kept as it is
    }
  }

  /** Chunk {@code seq}'s sealed bytes, or null when there is no such file. */
  public byte[] read(String recordingId, long seq) throws IOException {
    try {
      return Files.readAllBytes(path(recordingId, seq));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Removes one chunk's file (a missing one is no error). */
  void delete(String recordingId, long seq) throws IOException {
    Path file = path(recordingId, seq);
    if (Files.deleteIfExists(file)) {
      sync(file.getParent());
    }
  }

  /** Removes a recording's files and its directory (missing ones are no error). */
  public void deleteAll(String recordingId) throws IOException {
    Path folder = recording(recordingId);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (NoSuchFileException gone) {
      return;
    }
    try {
      Files.deleteIfExists(folder);
    } catch (DirectoryNotEmptyException late) {
      // a chunk written while we deleted (a Jibri upload retried at once): the next deletion takes it
    }
    sync(dir);
  }

  /** The recording's directory, for an id the gateway made only: nothing a client sends reaches outside {@link #dir}. */
  private Path recording(String recordingId) {
    if (recordingId == null || !RECORDING_ID.matcher(recordingId).matches()) {
      throw new IllegalArgumentException("not a recording id: " + recordingId);
    }
    Path folder = dir.resolve(recordingId).normalize();
    if (!dir.equals(folder.getParent())) {
      throw new IllegalArgumentException("not a recording id: " + recordingId);
    }
    return folder;
  }

  /** fsync of a directory: its new (or removed) names survive a crash. */
  private static void sync(Path directory) throws IOException {
    try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
