package dev.agentoperator.runner.tools;

import java.nio.file.Path;
import java.util.Set;

/**
 * What a tool call may touch: the workspace (the only tree file tools can read or write), the run's
 * state directory (todo lists and similar per-run data), the names of environment variables that
 * must never reach a child process (the model key, the runner token), and where a runner tool
 * records what it published (a push, a pull request) as run events, and where the {@code question}
 * tool asks a person. The sandbox's executor gets {@link ToolEvents#NONE} and {@link
 * Questions#NONE}: nothing the sandbox runs can write the run's record or answer a question.
 */
public record ToolContext(
    Path workspace,
    Path runStateDir,
    Set<String> secretEnvNames,
    ToolEvents events,
    Questions questions) {

  public ToolContext {
    events = events == null ? ToolEvents.NONE : events;
    questions = questions == null ? Questions.NONE : questions;
  }

  /** A context with nobody to ask. */
  public ToolContext(
      Path workspace, Path runStateDir, Set<String> secretEnvNames, ToolEvents events) {
    this(workspace, runStateDir, secretEnvNames, events, Questions.NONE);
  }

  /** A context whose events go nowhere (the sandbox's executor, tool tests). */
  public ToolContext(Path workspace, Path runStateDir, Set<String> secretEnvNames) {
    this(workspace, runStateDir, secretEnvNames, ToolEvents.NONE);
  }
}
