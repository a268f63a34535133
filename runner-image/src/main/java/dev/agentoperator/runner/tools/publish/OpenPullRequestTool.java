package dev.agentoperator.runner.tools.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.EventData;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.workspace.SecretRedactor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code open_pull_request}: asks the session's forge (GitHub, Gitea or GitLab REST API) for a
 * pull request from a pushed branch, run by the runner with the token from the session (never
 * visible to the sandbox). Idempotent: an open pull request for the same branch and base is
 * returned, not duplicated. The branch must be one the session lets the agent push to.
 */
public final class OpenPullRequestTool extends PublishingTool {

  public static final String NAME = "open_pull_request";

  /** The run event an opened (or found) pull request records ({@code spec/events.md}). */

  private final Optional<PublishSettings.PullRequests> settings;
  private final Optional<PublishSettings.Push> push;

  public OpenPullRequestTool(PublishSettings settings) {
    this.settings = settings.pullRequests();
    this.push = settings.push();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean offered() {
    return settings.isPresent();
  }

  @Override
  public Duration timeLimit(JsonNode arguments) {
    return Duration.ofSeconds(60);
  }

  @Override
  public String approvalSummary(JsonNode arguments, ToolContext context) {
    return mainArgument(arguments)
        + " into "
        + base(arguments).orElse("(no base)")
        + settings.map(s -> " of " + s.repository()).orElse(" (pull requests are not configured)")
        + ": "
        + arguments.path("title").asText("");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    PublishSettings.PullRequests forge =
        settings.orElseThrow(
            () ->
                new ToolException(
                    "open_pull_request is not configured for this session (the AgentSession has"
                        + " no workspace.git.pullRequests); no pull request was opened"));
    String branch = arguments.path("branch").asText("");
    if (!PublishSettings.isBranchName(branch)) {
      throw new ToolException("'" + branch + "' is not a valid branch name");
    }
    if (push.map(p -> !p.allows(branch)).orElse(true)) {
      throw new ToolException(
          "branch '"
              + branch
              + "' is not one this session may push to (workspace.git.push.branches), so no pull"
              + " request is opened from it");
    }
    String base =
        base(arguments)
            .orElseThrow(
                () ->
                    new ToolException(
                        "name the base branch: the session sets no"
                            + " workspace.git.pullRequests.baseBranch"));
    if (!PublishSettings.isBranchName(base)) {
      throw new ToolException("'" + base + "' is not a valid base branch name");
    }
    String token = Credentials.token(forge.tokenFile());
    SecretRedactor redactor = new SecretRedactor(List.of(token));
    PullRequestForge.PullRequest pr;
    try {
      pr =
          new PullRequestForge(forge)
              .open(
                  token,
                  branch,
                  base,
                  arguments.path("title").asText(),
                  arguments.path("body").asText(""));
    } catch (IOException e) {
      return ToolResult.error(
          "cannot reach the forge at " + forge.apiUrl() + ": " + redactor.redact(e.getMessage()));
    } catch (ToolException e) {
      return ToolResult.error(redactor.redact(e.getMessage()));
    }
    context
        .events()
        .emit(
            new EventData.PullRequestOpened(
                null, pr.url(), pr.number(), branch, base, pr.existed()));
    return ToolResult.ok(
        (pr.existed() ? "A pull request from " + branch + " is already open: " : "Opened ")
            + pr.url()
            + " (#"
            + pr.number()
            + ", "
            + branch
            + " into "
            + base
            + ")");
  }

  private Optional<String> base(JsonNode arguments) {
    String given = arguments.path("base").asText("");
    return given.isEmpty()
        ? settings.map(PublishSettings.PullRequests::baseBranch)
        : Optional.of(given);
  }
}
