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
import java.util.Optional;

/**
 * The latest checkpoint this node signed, kept outside Redis in {@code <data-dir>/audit/checkpoint.json}
 * so that a chain cut short in Redis (entries and checkpoints removed, head rewritten) is still caught.
 * Written as temp file + fsync + atomic rename, so a crash leaves the old or the new file, never half of one.
 * Blocking: call from a worker thread or the CLI.
 */
public final class AuditCheckpointFile {
  /** File name under {@code <data-dir>/audit/}. */
  public static final String NAME = "checkpoint.json";

  private final Path file;

  public AuditCheckpointFile(Path file) {
    this.file = file;
  }

  /** The checkpoint file of a data directory. */
  public static AuditCheckpointFile inDataDir(Path dataDir) {
    return new AuditCheckpointFile(dataDir.resolve("audit").resolve(NAME));
  }

  public Path path() {
    return file;
  }

  /** The head file beside it ({@link AuditHeadFile}): every acknowledged batch's signed head. */
  public AuditHeadFile heads() {
    return new AuditHeadFile(file.resolveSibling(AuditHeadFile.NAME));
  }

  /**
   * The checkpoint in the file; empty when there is no file yet. A file that exists but cannot be
   * read as a checkpoint throws {@link IllegalArgumentException}: verification reports it.
   */
  public Optional<AuditCheckpoint> read() {
    try {
      return Optional.of(AuditCheckpoint.decode(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static FileChannel ownerOnly(Path tmp) throws IOException {
    java.util.Set<StandardOpenOption> options = java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      return FileChannel.open(tmp, options, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      return FileChannel.open(tmp, options);
    }
  }

  /** Replaces the file with {@code checkpoint}, durably. */
  public void write(AuditCheckpoint checkpoint) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
      }
      Path tmp = dir.resolve(NAME + ".tmp");
      Files.deleteIfExists(tmp);
      // owner-only like everything in the data dir
      try (FileChannel ch = ownerOnly(tmp)) {
        ch.write(ByteBuffer.wrap((checkpoint.encode() + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static void forceDirectory(Path dir) {
    // makes the rename itself durable on Linux; other systems may refuse to open a directory
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort
    }
  }
}
