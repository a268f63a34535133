package dev.agentoperator.operator.dev.kubelet;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a kubelet does to a volume for a pod's {@code fsGroup}: every file and directory gets the
 * group and group read/write, directories also the setgid bit, so that what any container creates
 * there later belongs to the group too. Symbolic links are left alone (never followed).
 */
final class FsGroup {

  private static final int GROUP_READ_WRITE = 0060;
  private static final int GROUP_READ = 0040;
  private static final int GROUP_EXECUTE = 0010;
  private static final int SET_GID = 02000;

  private FsGroup() {}

  static void apply(Path root, long gid) throws IOException {
    apply(root, gid, GROUP_READ_WRITE);
  }

  /** As {@link #apply} for a read-only volume (a Secret's or a ConfigMap's): group read only. */
  static void applyReadOnly(Path root, long gid) throws IOException {
    apply(root, gid, GROUP_READ);
  }

  private static void apply(Path root, long gid, int groupRights) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        set(dir, gid, groupRights | GROUP_EXECUTE | SET_GID);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          set(file, gid, groupRights);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void set(Path path, long gid, int addedMode) throws IOException {
    Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    // The group may read and write; it may execute only what its owner may (a script stays one).
    int wanted = mode | addedMode | ((mode & 0100) != 0 ? GROUP_EXECUTE : 0);
    if ((wanted & 07777) != (mode & 07777)) {
      Files.setAttribute(path, "unix:mode", wanted & 07777, LinkOption.NOFOLLOW_LINKS);
    }
  }
}
