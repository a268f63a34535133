package dev.agentoperator.runner.workspace;

import dev.agentoperator.contract.runner.RunnerEnv;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.transport.URIish;

/**
 * What {@code agent-runner init-workspace} does, read from environment variables.
 *
 * <p>Besides those of {@link WorkspaceSettings}: {@code AGENT_GIT_URL} (clone this into an empty
 * workspace; unset: no clone), {@code AGENT_GIT_REF} (branch, tag or commit id; unset: the remote's
 * default branch), and credentials for HTTPS remotes either as {@code AGENT_GIT_USERNAME} / {@code
 * AGENT_GIT_PASSWORD} or as the files {@code username} and {@code password} in {@code
 * AGENT_GIT_CREDENTIALS_DIR} (a mounted {@code kubernetes.io/basic-auth} Secret). The user name
 * defaults to {@code git} when only a password (token) is given. User info in the URL ({@code
 * https://user:token@host/...}) is taken out of it and used as credentials, so it is never stored
 * in the clone's config.
 */
public record InitWorkspaceOptions(WorkspaceSettings settings, Optional<CloneSource> git) {

  public static final String GIT_URL_ENV = RunnerEnv.GIT_URL;
  public static final String GIT_REF_ENV = RunnerEnv.GIT_REF;
  public static final String GIT_USERNAME_ENV = "AGENT_GIT_USERNAME";
  public static final String GIT_PASSWORD_ENV = "AGENT_GIT_PASSWORD";
  public static final String GIT_CREDENTIALS_DIR_ENV = RunnerEnv.GIT_CREDENTIALS_DIR;
  static final String DEFAULT_USERNAME = "git";

  /** Reads the options; a bad value is an {@link IllegalArgumentException} naming the variable. */
  public static InitWorkspaceOptions fromEnv(Map<String, String> env) {
    return new InitWorkspaceOptions(WorkspaceSettings.fromEnv(env), gitSource(env));
  }

  private static Optional<CloneSource> gitSource(Map<String, String> env) {
    Optional<String> rawUrl = value(env, GIT_URL_ENV);
    if (rawUrl.isEmpty()) {
      return Optional.empty();
    }
    Optional<GitCredentials> credentials = configuredCredentials(env);
    if (credentials.isEmpty()) {
      credentials = credentialsInUrl(rawUrl.get());
    }
    return Optional.of(
        new CloneSource(
            SecretRedactor.withoutUserInfo(rawUrl.get()), value(env, GIT_REF_ENV), credentials));
  }

  private static Optional<GitCredentials> configuredCredentials(Map<String, String> env) {
    Optional<String> dir = value(env, GIT_CREDENTIALS_DIR_ENV);
    Optional<String> username;
    Optional<String> password;
    if (dir.isPresent()) {
      Path base = Path.of(dir.get());
      username = SecretFile.read(base.resolve("username"));
      password = SecretFile.read(base.resolve("password"));
      if (password.isEmpty()) {
        throw new IllegalArgumentException(
            GIT_CREDENTIALS_DIR_ENV + " is " + base + " but it has no non-empty 'password' file");
      }
    } else {
      username = value(env, GIT_USERNAME_ENV);
      password = value(env, GIT_PASSWORD_ENV);
      if (username.isPresent() && password.isEmpty()) {
        throw new IllegalArgumentException(
            GIT_USERNAME_ENV + " is set but " + GIT_PASSWORD_ENV + " is not");
      }
    }
    return password.map(p -> new GitCredentials(username.orElse(DEFAULT_USERNAME), p));
  }

  private static Optional<GitCredentials> credentialsInUrl(String url) {
    try {
      URIish uri = new URIish(url);
      if (uri.getPass() == null || uri.getPass().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new GitCredentials(uri.getUser(), uri.getPass()));
    } catch (URISyntaxException e) {
      return Optional.empty(); // the clone reports the bad URL, redacted
    }
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
