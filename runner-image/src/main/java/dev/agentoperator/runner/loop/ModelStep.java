package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ChatRequest;
import dev.agentoperator.runner.llm.ChatResponse;
import dev.agentoperator.runner.llm.TokenCounter;
import dev.agentoperator.runner.llm.ToolCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One model call: the context fitted into the token budget (compacted when it does not fit), the
 * request with the tool schemas, and the answer recorded (context, transcript, checkpoint, {@code
 * llm.completed}) before any of its tool calls runs.
 */
final class ModelStep {

  /** The model's answer, and whether it was cut at the output token limit. */
  record Answer(ChatMessage message, boolean cutAtOutputLimit) {}

  private final LoopConfig config;
  private final RunSpec spec;
  private final RunState state;
  private final RunControl control;
  private final LoopEvents events;
  private final ContextCompactor compactor;

  ModelStep(
      LoopConfig config, RunSpec spec, RunState state, RunControl control, LoopEvents events) {
    this.config = config;
    this.spec = spec;
    this.state = state;
    this.control = control;
    this.events = events;
    this.compactor =
        new ContextCompactor(
            new TokenCounter(), config.contextTokenBudget(), config.compactionPrompt());
  }

  /** The model this run talks to: the run's own choice, else the runner's. */
  String modelName() {
    return spec.modelName() != null ? spec.modelName() : config.modelName();
  }

  Answer call() throws InterruptedException {
    List<JsonNode> schemas = config.tools().schemas();
    fit(schemas);
    control.checkStop();
    Double temperature = spec.temperature() != null ? spec.temperature() : config.temperature();
    ChatRequest request =
        new ChatRequest(
            modelName(), state.context(), schemas, temperature, config.maxOutputTokens());
    long started = System.nanoTime();
    ChatResponse response = config.model().complete(request);
    long millis = (System.nanoTime() - started) / 1_000_000;
    state.addUsage(response.usage());
    ChatMessage answer = withUsableCallIds(response.message());
    state.append(answer);
    state.checkpoint();
    events.llmCompleted(state.steps(), millis, response, answer, state.usage().totalTokens());
    return new Answer(answer, "length".equals(response.finishReason()));
  }

  private void fit(List<JsonNode> schemas) throws InterruptedException {
    ContextCompactor.Fitted fitted =
        compactor.fit(state.context(), schemas, config.model(), modelName());
    if (fitted.compacted()) {
      ContextCompactor.Compaction compaction = fitted.compaction();
      state.compacted(fitted.context(), compaction.summary(), compaction.usage());
      state.checkpoint();
      events.contextCompacted(state.steps(), compaction);
    }
  }

  /** Gives every call a unique non-empty id: tool results are matched to calls by it. */
  private ChatMessage withUsableCallIds(ChatMessage message) {
    if (!message.hasToolCalls()) {
      return ChatMessage.assistant(message.content(), List.of());
    }
    Set<String> seen = new HashSet<>();
    List<ToolCall> calls = new ArrayList<>();
    int n = 0;
    for (ToolCall call : message.toolCalls()) {
      n++;
      String id = call.id();
      if (id == null || id.isBlank() || !seen.add(id)) {
        id = "call_" + state.steps() + "_" + n;
        seen.add(id);
      }
      calls.add(new ToolCall(id, call.name(), call.arguments()));
    }
    return ChatMessage.assistant(message.content(), calls);
  }
}
