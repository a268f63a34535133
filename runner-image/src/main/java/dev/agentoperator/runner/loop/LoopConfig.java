package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.runner.llm.ChatModel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What every run of a runner shares: the model and its defaults, the tools, the snapshot hook, the
 * directories, the secrets to keep out of output, the prompts and the context token budget (counted
 * over messages and tool schemas).
 */
public record LoopConfig(
    ChatModel model,
    String modelName,
    Double temperature,
    Integer maxOutputTokens,
    int contextTokenBudget,
    ToolBox tools,
    SnapshotHook snapshots,
    Path workspace,
    Path stateDir,
    Set<String> secretEnvNames,
    Redactor redactor,
    String systemPrompt,
    String compactionPrompt,
    Clock clock) {

  public static final int DEFAULT_CONTEXT_BUDGET = 100_000;

  /** Defaults: no temperature or output cap (the server's), 100k budget, no snapshots. */
  public static LoopConfig of(
      ChatModel model, String modelName, ToolBox tools, Path workspace, Path stateDir) {
    return new LoopConfig(
        model,
        modelName,
        null,
        null,
        DEFAULT_CONTEXT_BUDGET,
        tools,
        SnapshotHook.NONE,
        workspace,
        stateDir,
        Set.of("OPENAI_API_KEY", RunnerEnv.MODEL_API_KEY, RunnerEnv.RUNNER_TOKEN),
        Redactor.NONE,
        SpecResources.systemPrompt(),
        SpecResources.compactionPrompt(),
        Clock.systemUTC());
  }

  public LoopConfig withContextTokenBudget(int value) {
    return copy(c -> c.contextTokenBudget = value);
  }

  public LoopConfig withSnapshots(SnapshotHook value) {
    return copy(c -> c.snapshots = value);
  }

  public LoopConfig withRedactor(Redactor value) {
    return copy(c -> c.redactor = value);
  }

  public LoopConfig withSystemPrompt(String value) {
    return copy(c -> c.systemPrompt = value);
  }

  public LoopConfig withModel(ChatModel value) {
    return copy(c -> c.model = value);
  }

  public LoopConfig withTools(ToolBox value) {
    return copy(c -> c.tools = value);
  }

  public LoopConfig withTemperature(Double value) {
    return copy(c -> c.temperature = value);
  }

  public LoopConfig withMaxOutputTokens(Integer value) {
    return copy(c -> c.maxOutputTokens = value);
  }

  /** A copy with one setting changed: the with-ers above name the setting. */
  private LoopConfig copy(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The record's components, mutable, for {@link #copy}. */
  private static final class Copy {
    ChatModel model;
    String modelName;
    Double temperature;
    Integer maxOutputTokens;
    int contextTokenBudget;
    ToolBox tools;
    SnapshotHook snapshots;
    Path workspace;
    Path stateDir;
    Set<String> secretEnvNames;
    Redactor redactor;
    String systemPrompt;
    String compactionPrompt;
    Clock clock;

    Copy(LoopConfig from) {
      model = from.model;
      modelName = from.modelName;
      temperature = from.temperature;
      maxOutputTokens = from.maxOutputTokens;
      contextTokenBudget = from.contextTokenBudget;
      tools = from.tools;
      snapshots = from.snapshots;
      workspace = from.workspace;
      stateDir = from.stateDir;
      secretEnvNames = from.secretEnvNames;
      redactor = from.redactor;
      systemPrompt = from.systemPrompt;
      compactionPrompt = from.compactionPrompt;
      clock = from.clock;
    }

    LoopConfig build() {
      return new LoopConfig(
          model,
          modelName,
          temperature,
          maxOutputTokens,
          contextTokenBudget,
          tools,
          snapshots,
          workspace,
          stateDir,
          secretEnvNames,
          redactor,
          systemPrompt,
          compactionPrompt,
          clock);
    }
  }
}
