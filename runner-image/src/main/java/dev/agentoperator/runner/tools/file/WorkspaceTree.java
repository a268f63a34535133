package dev.agentoperator.runner.tools.file;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The regular files of a directory tree for glob and grep, sorted by path, found without following
 * symlinks (so nothing outside the workspace is reached) and without entering {@code .git}
 * directories; unreadable entries are skipped rather than failing the search.
 */
final class WorkspaceTree {

  private WorkspaceTree() {}

  static List<Path> regularFiles(Path start) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(start) && dir.getFileName().toString().equals(".git")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    return files;
  }
}
