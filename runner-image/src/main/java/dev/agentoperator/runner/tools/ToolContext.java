package dev.agentoperator.runner.tools;

import java.nio.file.Path;
import java.util.Set;

/**
 * What a tool call may touch: the workspace (the only tree file tools can read or write), the run's
 * state directory (todo lists and similar per-run data), and the names of environment variables that
 * must never reach a child process (the model key, the runner token).
 */
public record ToolContext(Path workspace, Path runStateDir, Set<String> secretEnvNames) {}
