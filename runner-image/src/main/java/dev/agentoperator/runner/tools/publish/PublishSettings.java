package dev.agentoperator.runner.tools.publish;

import dev.agentoperator.contract.policy.Glob;
import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.runner.workspace.SecretRedactor;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * Where {@code git_push} and {@code open_pull_request} may publish, read from the runner
 * container's environment ({@code spec/runner-env.md}); the operator sets it from the session's
 * {@code workspace.git.push} and {@code workspace.git.pullRequests}. Nothing here comes from the
 * workspace, so nothing the agent writes can change where a push goes. Absent: the tool is off and
 * says so. The secrets themselves stay in files, read at each call and never kept here.
 */
public record PublishSettings(Optional<Push> push, Optional<PullRequests> pullRequests) {

  public static final String PUSH_REMOTE_ENV = RunnerEnv.GIT_PUSH_REMOTE;
  public static final String PUSH_BRANCHES_ENV = RunnerEnv.GIT_PUSH_BRANCHES;
  public static final String PUSH_ALLOW_FORCE_ENV = RunnerEnv.GIT_PUSH_ALLOW_FORCE;
  public static final String PUSH_CREDENTIALS_DIR_ENV = RunnerEnv.GIT_PUSH_CREDENTIALS_DIR;
  public static final String PR_PROVIDER_ENV = RunnerEnv.PR_PROVIDER;
  public static final String PR_API_URL_ENV = RunnerEnv.PR_API_URL;
  public static final String PR_REPOSITORY_ENV = RunnerEnv.PR_REPOSITORY;
  public static final String PR_TOKEN_FILE_ENV = RunnerEnv.PR_TOKEN_FILE;
  public static final String PR_BASE_BRANCH_ENV = RunnerEnv.PR_BASE_BRANCH;

  /** Neither tool is configured. */
  public static PublishSettings none() {
    return new PublishSettings(Optional.empty(), Optional.empty());
  }

  /**
   * Push settings: the remote URL (https, http or file; no user info), the branch patterns (glob,
   * {@code *} matches any characters; empty means no branch may be pushed), whether a forced push
   * is allowed, and the directory of the mounted credentials Secret (files {@code username} and
   * {@code password} or {@code token}), or null for a remote that needs none.
   */
  public record Push(String remote, List<String> branches, boolean allowForce, Path credentialsDir) {
    public Push {
      branches = List.copyOf(branches);
    }

    /** Whether the agent may publish {@code branch} (a valid name matching one pattern). */
    public boolean allows(String branch) {
      return isBranchName(branch)
          && branches.stream().anyMatch(pattern -> Glob.matches(pattern, branch));
    }
  }

  /** A short branch name git accepts ({@code agent/x}, not {@code refs/heads/...} or an option). */
  public static boolean isBranchName(String name) {
    return name != null
        && !name.isEmpty()
        && !name.startsWith("-")
        && !name.startsWith("refs/")
        && Repository.isValidRefName(Constants.R_HEADS + name);
  }

  /** The forges {@code open_pull_request} speaks to. */
  public enum Provider {
    GITHUB,
    GITLAB,
    GITEA
  }

  /**
   * Pull request settings: the forge and its REST API base URL, the repository ({@code
   * owner/name}, or a GitLab project path), the file holding the token and the default base branch.
   */
  public record PullRequests(
      Provider provider, URI apiUrl, String repository, Path tokenFile, String baseBranch) {}

  /** Reads the settings; a malformed value is an {@link IllegalArgumentException} naming it. */
  public static PublishSettings fromEnv(Map<String, String> env) {
    Optional<Push> push = value(env, PUSH_REMOTE_ENV).map(remote -> push(env, remote));
    Optional<PullRequests> pullRequests =
        value(env, PR_PROVIDER_ENV).map(provider -> pullRequests(env, provider, push));
    return new PublishSettings(push, pullRequests);
  }

  private static Push push(Map<String, String> env, String remote) {
    URI uri = uri(PUSH_REMOTE_ENV, remote);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("https", "http", "file").contains(scheme)) {
      throw new IllegalArgumentException(
          PUSH_REMOTE_ENV
              + " must be an https, http or file URL (ssh remotes are not supported), got '"
              + SecretRedactor.withoutUserInfo(remote)
              + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          PUSH_REMOTE_ENV + " must not carry credentials; they come from the mounted Secret");
    }
    List<String> branches =
        value(env, PUSH_BRANCHES_ENV)
            .map(v -> Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isBlank()).toList())
            .orElse(List.of());
    String force = value(env, PUSH_ALLOW_FORCE_ENV).orElse("false").toLowerCase(Locale.ROOT);
    if (!force.equals("true") && !force.equals("false")) {
      throw new IllegalArgumentException(
          PUSH_ALLOW_FORCE_ENV + " must be true or false, got '" + force + "'");
    }
    return new Push(
        remote,
        branches,
        force.equals("true"),
        value(env, PUSH_CREDENTIALS_DIR_ENV).map(Path::of).orElse(null));
  }

  private static PullRequests pullRequests(
      Map<String, String> env, String providerName, Optional<Push> push) {
    Provider provider;
    try {
      provider = Provider.valueOf(providerName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PR_PROVIDER_ENV + " must be github, gitlab or gitea, got '" + providerName + "'", e);
    }
    URI api =
        uri(
            PR_API_URL_ENV,
            value(env, PR_API_URL_ENV)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            PR_API_URL_ENV + " is required with " + PR_PROVIDER_ENV)));
    String repository =
        value(env, PR_REPOSITORY_ENV)
            .or(() -> push.flatMap(p -> repositoryOf(p.remote())))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        PR_REPOSITORY_ENV
                            + " is required when the push remote names no owner/repository"));
    Path token =
        value(env, PR_TOKEN_FILE_ENV)
            .map(Path::of)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        PR_TOKEN_FILE_ENV + " is required with " + PR_PROVIDER_ENV));
    return new PullRequests(
        provider, api, repository, token, value(env, PR_BASE_BRANCH_ENV).orElse(null));
  }

  /** {@code acme/app} from {@code https://github.com/acme/app.git}: the URL's path without .git. */
  static Optional<String> repositoryOf(String remote) {
    String path = URI.create(remote).getPath();
    if (path == null) {
      return Optional.empty();
    }
    path = path.replaceAll("^/+|/+$", "").replaceAll("\\.git$", "");
    return path.contains("/") ? Optional.of(path) : Optional.empty();
  }

  private static URI uri(String name, String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          name + " is not a URL: '" + SecretRedactor.withoutUserInfo(value) + "'", e);
    }
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
