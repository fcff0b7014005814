package org.kinlink.gateway.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The signed head of every batch this node appended, one {@link AuditCheckpoint} line per batch in
 * {@code <data-dir>/audit/heads.log}, written and fsynced before the batch is acknowledged. Checkpoints
 * come every 100 entries or 30 s; this covers the entries between them, so a rewrite or deletion of
 * any acknowledged entry is caught (the chain links everything before the last pinned head to it).
 * Append-only so a crash mid-write tears at most the last line, which {@link #last()} skips; past
 * {@value #ROTATE_BYTES} bytes it is replaced (temp file + rename) by its last line, which is all
 * verification needs. Blocking: call from a worker thread or the CLI.
 */
public final class AuditHeadFile {
  /** File name under {@code <data-dir>/audit/}. */
  public static final String NAME = "heads.log";
  static final long ROTATE_BYTES = 1 << 20;

  private final Path file;

  public AuditHeadFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** Appends {@code head} durably. */
  public synchronized void append(AuditCheckpoint head) {
    byte[] line = (head.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        // only when missing: createDirectories on an existing one throws and catches inside, once per batch
        Files.createDirectories(dir);
      }
      boolean created = !Files.exists(file);
      if (!created && Files.size(file) + line.length > ROTATE_BYTES) {
        Path tmp = dir.resolve(NAME + ".tmp");
        write(tmp, line, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AuditCheckpointFile.forceDirectory(dir);
        return;
      }
      write(file, line, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      if (created) {
        AuditCheckpointFile.forceDirectory(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void write(Path path, byte[] bytes, StandardOpenOption... options) throws IOException {
    // created owner-only: the heads are what proves the tail, and the data dir is no one else's
    var ownerOnly = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try (FileChannel ch = FileChannel.open(path, java.util.Set.of(options), ownerOnly)) {
      ch.write(ByteBuffer.wrap(bytes));
      ch.force(false);
    }
  }

  /**
   * The newest head in the file; empty when there is none. A torn last line (a crash while writing
   * it, before anything was acknowledged) is skipped; any other unreadable line throws
   * {@link IllegalArgumentException}: verification reports it.
   */
  public Optional<AuditCheckpoint> last() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      try {
        return Optional.of(AuditCheckpoint.decode(line));
      } catch (IllegalArgumentException e) {
        if (i != lines.size() - 1) {
          throw e;
        }
      }
    }
    return Optional.empty();
  }
}
