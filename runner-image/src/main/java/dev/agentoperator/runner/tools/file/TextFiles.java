package dev.agentoperator.runner.tools.file;

import dev.agentoperator.runner.tools.ToolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Reading and writing workspace text files the way every file tool needs it. */
final class TextFiles {

  /** How far into a file to look for a NUL byte, the sign of a binary file (as git does). */
  static final int BINARY_PROBE_BYTES = 8000;

  private TextFiles() {}

  /** Whether the file's first bytes contain a NUL byte. */
  static boolean looksBinary(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(BINARY_PROBE_BYTES);
      for (byte b : head) {
        if (b == 0) {
          return true;
        }
      }
      return false;
    }
  }

  /** Requires an existing regular file, with errors that name the path as the model wrote it. */
  static void requireFile(Path file, String shown) {
    if (!Files.exists(file)) {
      throw new ToolException("file not found: " + shown);
    }
    if (Files.isDirectory(file)) {
      throw new ToolException(shown + " is a directory; use list_dir to see its entries");
    }
    if (!Files.isRegularFile(file)) {
      throw new ToolException(shown + " is not a regular file");
    }
  }

  /** The whole file as strict UTF-8 text, refusing binary and non-UTF-8 files. */
  static String readForEdit(Path file, String shown) {
    requireFile(file, shown);
    try {
      if (looksBinary(file)) {
        throw new ToolException(shown + " is a binary file; it cannot be edited as text");
      }
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ToolException(shown + " is not valid UTF-8 text; change it with the shell tool");
    } catch (IOException e) {
      throw new ToolException("cannot read " + shown + ": " + e.getMessage());
    }
  }

  /**
   * Replaces the file's content through a temporary file and an atomic rename, so a reader never
   * sees half a file and a failed write leaves the old content; keeps the file's permissions. A new
   * file is {@code rw-rw-r--} (a temporary file would be {@code rw-------}): the runner, another uid
   * of the same group, must be able to read it for snapshots.
   */
  private static final Set<PosixFilePermission> NEW_FILE =
      PosixFilePermissions.fromString("rw-rw-r--");

  static void write(Path file, String content) throws IOException {
    Path parent = file.getParent();
    Files.createDirectories(parent);
    Set<PosixFilePermission> permissions = NEW_FILE;
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      try {
        permissions = Files.getPosixFilePermissions(file);
      } catch (UnsupportedOperationException e) {
        permissions = null;
      }
    }
    Path temp = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      if (permissions != null) {
        Files.setPosixFilePermissions(temp, permissions);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Counts lines the way an editor shows them: a final line without a newline still counts. */
  static int lineCount(String content) {
    if (content.isEmpty()) {
      return 0;
    }
    int lines = 0;
    for (int i = 0; i < content.length(); i++) {
      if (content.charAt(i) == '\n') {
        lines++;
      }
    }
    return content.endsWith("\n") ? lines : lines + 1;
  }
}
