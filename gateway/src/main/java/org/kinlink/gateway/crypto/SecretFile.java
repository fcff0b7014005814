package org.kinlink.gateway.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Key files: created once, owner-only from the first byte, durable before they are used. */
public final class SecretFile {
  private SecretFile() {}

  /**
   * Writes {@code content} to {@code file} (mode 0600; missing directories 0700) unless the file
   * exists. A temp file is fsynced and renamed without replacing, so when two processes race the
   * first key stays and no one uses a key that is later overwritten (its secrets would be lost).
   * Blocking.
   */
  public static void createOnce(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.exists(file)) {
      return;
    }
    Path existing = dir;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    boolean posix = Files.getFileStore(existing).supportsFileAttributeView("posix");
    if (posix) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(content));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(tmp);
    }
  }
}
