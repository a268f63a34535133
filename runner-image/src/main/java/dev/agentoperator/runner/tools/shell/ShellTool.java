package dev.agentoperator.runner.tools.shell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Arguments;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code shell}: runs {@code bash -c <command>} (or {@code sh} without bash) in the workspace, in
 * its own process group, with stdin closed, stdout and stderr merged and capped, the environment
 * scrubbed of secrets ({@link ChildEnvironment}) and a timeout after which the whole process tree
 * is killed. Cancellation (an interrupt) kills the tree the same way and returns at once.
 *
 * <p>When the command exits, whatever it left running in its process group ({@code server &}) is
 * killed too: one rule, whatever the background process does with its output. A process meant to
 * outlive the call must leave the group with {@code setsid} (and redirect its output). Without a
 * {@code setsid} binary the group cannot be formed and background processes are left alone; the
 * call then returns after {@link ToolSettings#shellOutputGrace()} even if they hold the output.
 */
public final class ShellTool implements Tool {

  private static final Optional<Path> SETSID = ProcessGroup.Executables.find("setsid");
  private static final Path SHELL =
      ProcessGroup.Executables.find("bash")
          .or(() -> ProcessGroup.Executables.find("sh"))
          .orElse(Path.of("/bin/sh"));
  private static final Duration KILL_DRAIN = Duration.ofSeconds(1);
  private static final Duration BACKGROUND_SETTLE = Duration.ofMillis(500);

  private final ToolSettings settings;
  private final Map<String, String> baseEnvironment;

  /** A shell tool whose commands inherit this process's environment (the executor's), scrubbed. */
  public ShellTool(ToolSettings settings) {
    this(settings, null);
  }

  /** A shell tool whose commands start from {@code baseEnvironment} (scrubbed) instead. */
  ShellTool(ToolSettings settings, Map<String, String> baseEnvironment) {
    this.settings = settings;
    this.baseEnvironment = baseEnvironment == null ? null : Map.copyOf(baseEnvironment);
  }

  @Override
  public String name() {
    return "shell";
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return Arguments.string(arguments, "command");
  }

  @Override
  public Duration timeLimit(JsonNode arguments) {
    return timeout(arguments)
        .plus(BACKGROUND_SETTLE)
        .plus(settings.shellOutputGrace())
        .plus(KILL_DRAIN);
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) throws InterruptedException {
    String command = Arguments.string(arguments, "command");
    Path workdir = workdir(arguments, context);
    Duration timeout = timeout(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(commandLine(command))
            .directory(workdir.toFile())
            .redirectErrorStream(true);
    if (baseEnvironment != null) {
      builder.environment().clear();
      builder.environment().putAll(baseEnvironment);
    }
    ChildEnvironment.scrub(builder.environment(), context.secretEnvNames());
    Process process;
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new ToolException("cannot start the shell " + SHELL + ": " + e.getMessage());
    }
    CappedOutput output =
        CappedOutput.drain(process.getInputStream(), settings.shellOutputCapBytes());
    boolean exited;
    try {
      exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      ProcessGroup.kill(process, SETSID.isPresent());
      throw e;
    }
    if (!exited) {
      ProcessGroup.kill(process, SETSID.isPresent());
      output.awaitClosed(KILL_DRAIN);
      return ToolResult.error(
          body(output)
              + "timed out after "
              + timeout.toSeconds()
              + " s: the command and all its child processes were killed");
    }
    boolean stoppedBackground = stopBackground(process);
    output.awaitClosed(settings.shellOutputGrace());
    String note =
        stoppedBackground ? "background processes started by the command were stopped\n" : "";
    int exitCode = process.exitValue();
    String result = body(output) + note + "exit code: " + exitCode;
    return exitCode == 0 ? ToolResult.ok(result) : ToolResult.error(result);
  }

  /**
   * Stops whatever the command left running in its process group, so a forgotten {@code server &}
   * neither outlives the call nor holds the output open. The pause first lets a {@code setsid cmd
   * &} that bash forked just before exiting finish leaving the group; only calls that left
   * processes behind pay for it.
   */
  private static boolean stopBackground(Process process) throws InterruptedException {
    if (SETSID.isEmpty() || !ProcessGroup.groupHasMembers(process.pid())) {
      return false;
    }
    try {
      Thread.sleep(BACKGROUND_SETTLE);
    } catch (InterruptedException e) {
      ProcessGroup.killGroup(process.pid());
      throw e;
    }
    return ProcessGroup.killGroup(process.pid());
  }

  private static List<String> commandLine(String command) {
    List<String> line = new ArrayList<>();
    SETSID.ifPresent(
        setsid -> {
          line.add(setsid.toString());
          line.add("--wait");
        });
    line.add(SHELL.toString());
    line.add("-c");
    line.add(command);
    return line;
  }

  private static Path workdir(JsonNode arguments, ToolContext context) {
    WorkspacePaths paths = WorkspacePaths.of(context.workspace());
    Optional<String> requested = Arguments.optionalString(arguments, "workdir");
    if (requested.isEmpty()) {
      return paths.root();
    }
    Path dir = paths.resolveForRead(requested.get());
    if (!Files.isDirectory(dir)) {
      throw new ToolException(
          "workdir " + requested.get() + " is not a directory in the workspace");
    }
    return dir;
  }

  private Duration timeout(JsonNode arguments) {
    return Arguments.optionalLong(arguments, "timeout_seconds")
        .map(Duration::ofSeconds)
        .map(
            asked ->
                asked.compareTo(settings.shellMaxTimeout()) > 0
                    ? settings.shellMaxTimeout()
                    : asked)
        .orElse(settings.shellDefaultTimeout());
  }

  private static String body(CappedOutput output) {
    String text = output.text();
    if (text.isEmpty()) {
      return "(no output)\n";
    }
    return text.endsWith("\n") ? text : text + "\n";
  }
}
