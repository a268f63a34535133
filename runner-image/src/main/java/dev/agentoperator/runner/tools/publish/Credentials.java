package dev.agentoperator.runner.tools.publish;

import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.workspace.SecretFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Secret values read from files the operator mounts into the runner container only, at each call
 * (a rotated Secret is used without a restart). Never printed: messages name the file, not its
 * content.
 */
final class Credentials {

  /** The user name when the Secret holds only a token (GitHub and Gitea accept any). */
  static final String DEFAULT_USERNAME = "x-access-token";

  /** A user name and a password or token. */
  record Login(String username, String password) {
    @Override
    public String toString() {
      return "Login[username=" + username + ", password=***]";
    }
  }

  private Credentials() {}

  /** {@code username} and {@code password} (or {@code token}) from a mounted Secret. */
  static Login login(Path dir) {
    Optional<String> password = file(dir.resolve("password")).or(() -> file(dir.resolve("token")));
    if (password.isEmpty()) {
      throw new ToolException(
          "the push credentials Secret has no non-empty 'password' or 'token' key; nothing was"
              + " pushed");
    }
    return new Login(file(dir.resolve("username")).orElse(DEFAULT_USERNAME), password.get());
  }

  /** A token from one mounted file. */
  static String token(Path file) {
    return Credentials.file(file)
        .orElseThrow(
            () ->
                new ToolException(
                    "the pull request token Secret has no non-empty value at " + file));
  }

  private static Optional<String> file(Path path) {
    try {
      return SecretFile.read(path);
    } catch (UncheckedIOException e) {
      throw new ToolException("cannot read the mounted Secret file " + path.getFileName());
    }
  }
}
