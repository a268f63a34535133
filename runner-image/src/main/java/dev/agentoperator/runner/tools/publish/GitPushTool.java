package dev.agentoperator.runner.tools.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.EventData;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.workspace.SecretRedactor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.FileUtils;

/**
 * {@code git_push}: pushes one local branch of the workspace repository to the session's remote,
 * run by the runner (the credentials never reach the sandbox). Where it goes and with what comes
 * from the session only ({@link PublishSettings.Push}); from the workspace only the branch's commit
 * and its objects are read ({@link WorkspaceGit}), so the workspace's git config, hooks, URL
 * rewrites, credential helpers, proxies and ssh commands have no say. The branch goes to the same
 * name, must match the session's patterns, and is forced only when the session allows it.
 */
public final class GitPushTool extends PublishingTool {

  public static final String NAME = "git_push";

  /** The run event a push records ({@code spec/events.md}). */

  private static final int TRANSPORT_TIMEOUT_SECONDS = 60;

  private final Optional<PublishSettings.Push> settings;
  private final Optional<String> baseBranch;

  public GitPushTool(PublishSettings settings) {
    this.settings = settings.push();
    this.baseBranch = settings.pullRequests().map(PublishSettings.PullRequests::baseBranch);
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
    return Duration.ofSeconds(2L * TRANSPORT_TIMEOUT_SECONDS);
  }

  @Override
  public String approvalSummary(JsonNode arguments, ToolContext context) {
    String branch = mainArgument(arguments);
    String force = arguments.path("force").asBoolean(false) ? "force-push " : "push ";
    String where = settings.map(s -> " to " + s.remote()).orElse(" (push is not configured)");
    try {
      WorkspaceGit workspace = WorkspaceGit.open(context.workspace());
      Optional<ObjectId> commit = workspace.branch(branch);
      String stat = commit.map(c -> diffstat(workspace, c)).orElse("");
      // The remote last: status cuts long summaries, and the session already names the remote.
      return force
          + branch
          + commit.map(c -> " at " + c.name()).orElse(" (no such branch in the workspace)")
          + (stat.isEmpty() ? "" : " (" + stat + ")")
          + where;
    } catch (RuntimeException e) {
      return force + branch + " (" + e.getMessage() + ")" + where;
    }
  }

  /** Against the base branch as the workspace's clone last saw it (origin/<base>), if known. */
  private String diffstat(WorkspaceGit workspace, ObjectId commit) {
    return baseBranch
        .filter(PublishSettings::isBranchName)
        .flatMap(
            base ->
                workspace
                    .ref(Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + base)
                    .map(id -> Diffstat.of(workspace, id, commit, base)))
        .orElse("");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    PublishSettings.Push push =
        settings.orElseThrow(
            () ->
                new ToolException(
                    "git_push is not configured for this session (the AgentSession has no"
                        + " workspace.git.push); nothing was pushed"));
    String branch = arguments.path("branch").asText("");
    boolean force = arguments.path("force").asBoolean(false);
    checkBranch(push, branch, force);
    WorkspaceGit workspace = WorkspaceGit.open(context.workspace());
    ObjectId commit =
        workspace
            .branch(branch)
            .orElseThrow(
                () ->
                    new ToolException(
                        "there is no local branch '"
                            + branch
                            + "' in the workspace repository; create it and commit on it first"));
    SecretRedactor redactor = new SecretRedactor(secretsOf(push));
    Path stageDir;
    try {
      stageDir = Files.createTempDirectory("git-push-");
    } catch (IOException e) {
      throw new ToolException("cannot create the runner's staging directory: " + e.getMessage());
    }
    try (Repository stage = workspace.stage(stageDir)) {
      RemoteRefUpdate update = pushOne(stage, push, branch, commit, force);
      return outcome(context, push, branch, commit, force, update, redactor);
    } catch (TransportException e) {
      return ToolResult.error(
          "the push of " + branch + " to " + push.remote() + " failed: " + redactor.redact(
              e.getMessage()));
    } catch (IOException | URISyntaxException e) {
      return ToolResult.error(
          "the push of " + branch + " failed: " + redactor.redact(e.getMessage()));
    } finally {
      try {
        // Deletes the link to the workspace's objects, never what it points to.
        FileUtils.delete(stageDir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
      } catch (IOException e) {
        // a leftover directory in the runner's /tmp; harmless
      }
    }
  }

  private static void checkBranch(PublishSettings.Push push, String branch, boolean force) {
    if (!PublishSettings.isBranchName(branch)) {
      throw new ToolException("'" + branch + "' is not a valid branch name; nothing was pushed");
    }
    if (push.branches().isEmpty()) {
      throw new ToolException(
          "this session allows pushing to no branch (workspace.git.push.branches is empty);"
              + " nothing was pushed");
    }
    if (!push.allows(branch)) {
      throw new ToolException(
          "branch '"
              + branch
              + "' is not one this session may push to (allowed: "
              + String.join(", ", push.branches())
              + "); nothing was pushed");
    }
    if (force && !push.allowForce()) {
      throw new ToolException(
          "this session does not allow forced pushes (workspace.git.push.allowForcePush);"
              + " nothing was pushed");
    }
  }

  private static RemoteRefUpdate pushOne(
      Repository stage, PublishSettings.Push push, String branch, ObjectId commit, boolean force)
      throws IOException, URISyntaxException {
    String ref = Constants.R_HEADS + branch;
    try (RevWalk walk = new RevWalk(stage)) {
      RevCommit parsed = walk.parseCommit(commit);
      RefUpdate local = stage.updateRef(ref);
      local.setNewObjectId(parsed);
      local.setForceUpdate(true);
      RefUpdate.Result result = local.update(walk);
      if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED) {
        throw new IOException("cannot stage " + ref + ": " + result);
      }
    } catch (MissingObjectException e) {
      throw new ToolException(
          "the commit of branch '" + branch + "' is missing from the workspace repository");
    } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
      throw new ToolException("branch '" + branch + "' does not point to a commit");
    }
    // A transport opened on a URL (not a remote name) applies no remote config: no insteadOf, no
    // push refspecs; and a bare Transport runs no pre-push hook (only PushCommand installs one).
    try (Transport transport = Transport.open(stage, new URIish(push.remote()))) {
      transport.setTimeout(TRANSPORT_TIMEOUT_SECONDS);
      if (push.credentialsDir() != null) {
        Credentials.Login login = Credentials.login(push.credentialsDir());
        transport.setCredentialsProvider(
            new UsernamePasswordCredentialsProvider(login.username(), login.password()));
      }
      RemoteRefUpdate update = new RemoteRefUpdate(stage, ref, ref, force, null, null);
      PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update), null);
      return result.getRemoteUpdate(ref);
    }
  }

  private static ToolResult outcome(
      ToolContext context,
      PublishSettings.Push push,
      String branch,
      ObjectId commit,
      boolean force,
      RemoteRefUpdate update,
      SecretRedactor redactor) {
    String what = "branch " + branch + " at " + commit.name() + " to " + push.remote();
    return switch (update.getStatus()) {
      case OK, UP_TO_DATE -> {
        String how = update.getStatus() == RemoteRefUpdate.Status.UP_TO_DATE
            ? "already up to date"
            : update.isFastForward() ? "pushed" : force ? "force-pushed" : "pushed";
        context
            .events()
            .emit(
                new EventData.GitPushed(
                    null, push.remote(), branch, commit.name(), force && !update.isFastForward()));
        yield ToolResult.ok(how.substring(0, 1).toUpperCase() + how.substring(1) + ": " + what);
      }
      case REJECTED_NONFASTFORWARD ->
          ToolResult.error(
              "the remote rejected "
                  + what
                  + ": its "
                  + branch
                  + " has commits this one does not contain (not a fast-forward)"
                  + (push.allowForce() ? "; push with force=true to replace them" : ""));
      default ->
          ToolResult.error(
              "the remote rejected "
                  + what
                  + " ("
                  + update.getStatus()
                  + (update.getMessage() == null ? "" : ": " + redactor.redact(update.getMessage()))
                  + ")");
    };
  }

  private static List<String> secretsOf(PublishSettings.Push push) {
    List<String> secrets = new ArrayList<>();
    if (push.credentialsDir() != null) {
      try {
        secrets.add(Credentials.login(push.credentialsDir()).password());
      } catch (ToolException e) {
        // no credentials: nothing to redact; the push reports the problem
      }
    }
    return secrets;
  }
}
