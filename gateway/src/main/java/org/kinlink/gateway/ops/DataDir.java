package org.kinlink.gateway.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data directory holds the token signing key's neighbours: the AOF (password hashes, TOTP
 * secrets), the audit signing key, the TLS key. It and everything in it are owner-only:
 * directories 0700, files 0600 (0700 when executable, like the bundled redis-server).
 *
 * <p>New files are created owner-only where they are made (temp files are 0600, the embedded Redis
 * runs with umask 077); {@link #secure} also tightens whatever an older version or a restore left
 * wider, and runs again once start-up has created its files.
 */
public final class DataDir {
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwx------");
  /** The recordings' directory when it is under the data dir (the default, {@code GatewayConfig#recordingsDirectory}). */
  static final String RECORDINGS = "recordings";

  private DataDir() {}

  /** Creates the directory if needed and makes it and everything in it owner-only. */
  public static void secure(Path dir) {
    try {
      Files.createDirectories(dir);
      if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        return;
      }
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          set(d, DIRECTORY);
          // recordings' chunk files (millions over a retention time) are made 0600 in a 0700 directory: not walked at each start
          return d.equals(dir.resolve(RECORDINGS)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          if (attrs.isRegularFile()) {
            boolean exec = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
            set(f, exec ? EXECUTABLE : FILE);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) {
          // a temp file renamed away while we walked
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the data directory " + dir.toAbsolutePath() + " owner-only: " + e.getMessage(), e);
    }
  }

  private static void set(Path p, Set<PosixFilePermission> wanted) throws IOException {
    try {
      if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
        Files.setPosixFilePermissions(p, wanted);
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      // removed while we walked
    }
  }
}
