package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.llm.ChatModel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/**
 * What every run of a runner shares: the model and its defaults, the tools, the approval gate, the
 * snapshot hook, the directories, the secrets to keep out of output, the prompts and the context
 * token budget (counted over messages and tool schemas).
 */
public record LoopConfig(
    ChatModel model,
    String modelName,
    Double temperature,
    Integer maxOutputTokens,
    int contextTokenBudget,
    ToolBox tools,
    ApprovalGate approvals,
    SnapshotHook snapshots,
    Path workspace,
    Path stateDir,
    Set<String> secretEnvNames,
    Redactor redactor,
    String systemPrompt,
    String compactionPrompt,
    Clock clock) {

  public static final int DEFAULT_CONTEXT_BUDGET = 100_000;

  public static LoopConfig of(
      ChatModel model, String modelName, ToolBox tools, Path workspace, Path stateDir) {
    return new LoopConfig(
        model,
        modelName,
        null,
        null,
        DEFAULT_CONTEXT_BUDGET,
        tools,
        new ApprovalGate(),
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
    return new LoopConfig(model, modelName, temperature, maxOutputTokens, value, tools, approvals,
        snapshots, workspace, stateDir, secretEnvNames, redactor, systemPrompt, compactionPrompt,
        clock);
  }

  public LoopConfig withApprovals(ApprovalGate value) {
    return new LoopConfig(model, modelName, temperature, maxOutputTokens, contextTokenBudget, tools,
        value, snapshots, workspace, stateDir, secretEnvNames, redactor, systemPrompt,
        compactionPrompt, clock);
  }

  public LoopConfig withSnapshots(SnapshotHook value) {
    return new LoopConfig(model, modelName, temperature, maxOutputTokens, contextTokenBudget, tools,
        approvals, value, workspace, stateDir, secretEnvNames, redactor, systemPrompt,
        compactionPrompt, clock);
  }

  public LoopConfig withRedactor(Redactor value) {
    return new LoopConfig(model, modelName, temperature, maxOutputTokens, contextTokenBudget, tools,
        approvals, snapshots, workspace, stateDir, secretEnvNames, value, systemPrompt,
        compactionPrompt, clock);
  }

  public LoopConfig withSystemPrompt(String value) {
    return new LoopConfig(model, modelName, temperature, maxOutputTokens, contextTokenBudget, tools,
        approvals, snapshots, workspace, stateDir, secretEnvNames, redactor, value,
        compactionPrompt, clock);
  }

  public LoopConfig withModelDefaults(Double temperatureDefault, Integer maxOutput) {
    return new LoopConfig(model, modelName, temperatureDefault, maxOutput, contextTokenBudget,
        tools, approvals, snapshots, workspace, stateDir, secretEnvNames, redactor, systemPrompt,
        compactionPrompt, clock);
  }

  public LoopConfig withModel(ChatModel value) {
    return new LoopConfig(value, modelName, temperature, maxOutputTokens, contextTokenBudget, tools,
        approvals, snapshots, workspace, stateDir, secretEnvNames, redactor, systemPrompt,
        compactionPrompt, clock);
  }

  public LoopConfig withTools(ToolBox value) {
    return new LoopConfig(model, modelName, temperature, maxOutputTokens, contextTokenBudget, value,
        approvals, snapshots, workspace, stateDir, secretEnvNames, redactor, systemPrompt,
        compactionPrompt, clock);
  }
}
