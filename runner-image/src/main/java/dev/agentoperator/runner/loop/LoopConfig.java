package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.llm.ChatModel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

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
        Set.of("OPENAI_API_KEY", "AGENT_MODEL_API_KEY", "AGENT_RUNNER_TOKEN"),
        Redactor.NONE,
        SpecResources.systemPrompt(),
        SpecResources.compactionPrompt(),
        Clock.systemUTC());
  }

  public LoopConfig withContextTokenBudget(int value) {
    return new LoopConfig(
        model,
        modelName,
        temperature,
        maxOutputTokens,
        value,
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

  public LoopConfig withSnapshots(SnapshotHook value) {
    return new LoopConfig(
        model,
        modelName,
        temperature,
        maxOutputTokens,
        contextTokenBudget,
        tools,
        value,
        workspace,
        stateDir,
        secretEnvNames,
        redactor,
        systemPrompt,
        compactionPrompt,
        clock);
  }

  public LoopConfig withRedactor(Redactor value) {
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
        value,
        systemPrompt,
        compactionPrompt,
        clock);
  }

  public LoopConfig withSystemPrompt(String value) {
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
        value,
        compactionPrompt,
        clock);
  }

  public LoopConfig withModel(ChatModel value) {
    return new LoopConfig(
        value,
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

  public LoopConfig withTools(ToolBox value) {
    return new LoopConfig(
        model,
        modelName,
        temperature,
        maxOutputTokens,
        contextTokenBudget,
        value,
        snapshots,
        workspace,
        stateDir,
        secretEnvNames,
        redactor,
        systemPrompt,
        compactionPrompt,
        clock);
  }

  public LoopConfig withTemperature(Double value) {
    return new LoopConfig(
        model,
        modelName,
        value,
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

  public LoopConfig withMaxOutputTokens(Integer value) {
    return new LoopConfig(
        model,
        modelName,
        temperature,
        value,
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

  public LoopConfig withSecretEnvNames(Set<String> value) {
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
        value,
        redactor,
        systemPrompt,
        compactionPrompt,
        clock);
  }

  public LoopConfig withClock(Clock value) {
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
        value);
  }
}
