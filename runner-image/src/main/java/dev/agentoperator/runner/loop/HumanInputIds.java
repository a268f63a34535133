package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.llm.ToolCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ids under which a run asks a person: {@code approval-<step>-<n>-<tag>} and {@code
 * question-<step>-<n>-<tag>}, where the tag is an HMAC of the call (run, step, position, call id,
 * tool, arguments) under a random key kept in the run's state directory. An answer therefore binds
 * to the call it was shown with: an id cannot be known before the call exists (so an approval
 * written in advance for a position approves nothing), yet a resumed run asks the same call under
 * the same id, so an answer given while no runner ran still finds it.
 */
final class HumanInputIds {

  static final String KEY_FILE = "input-ids.key";
  private static final int KEY_BYTES = 32;
  private static final int TAG_BYTES = 8;
  private static final String HMAC = "HmacSHA256";

  private final String runUid;
  private final byte[] key;

  private HumanInputIds(String runUid, byte[] key) {
    this.runUid = runUid;
    this.key = key;
  }

  /** The ids of the run whose state directory is {@code runDir}; creates its key the first time. */
  static HumanInputIds of(String runUid, Path runDir) {
    return new HumanInputIds(runUid, key(runDir.resolve(KEY_FILE)));
  }

  String approval(int step, PendingCall pending) {
    return id("approval", step, pending);
  }

  String question(int step, PendingCall pending) {
    return id("question", step, pending);
  }

  private String id(String kind, int step, PendingCall pending) {
    ToolCall call = pending.call();
    String bound =
        String.join(
            "\0",
            kind,
            runUid,
            Integer.toString(step),
            Integer.toString(pending.position()),
            String.valueOf(call.id()),
            String.valueOf(call.name()),
            String.valueOf(call.arguments()));
    return kind + "-" + step + "-" + pending.position() + "-" + tag(bound);
  }

  private String tag(String bound) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      byte[] digest = mac.doFinal(bound.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, TAG_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** Reads the run's key, or writes a new random one readable by the runner's user only. */
  private static byte[] key(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        Files.createDirectories(file.getParent());
        // Written aside and renamed, so a crash never leaves a torn key behind.
        Path temp = file.resolveSibling(KEY_FILE + ".tmp");
        Files.write(temp, HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII));
        restrict(temp);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
      byte[] stored =
          HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
      if (stored.length != KEY_BYTES) {
        throw new IllegalStateException(
            file + " holds " + stored.length + " bytes, not a " + KEY_BYTES + "-byte key");
      }
      return stored;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the run's id key " + file, e);
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // a file system without POSIX permissions: the state directory's own access applies
    }
  }
}
