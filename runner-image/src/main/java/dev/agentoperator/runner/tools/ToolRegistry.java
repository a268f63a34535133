package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.runner.tools.file.ApplyPatchTool;
import dev.agentoperator.runner.tools.file.EditFileTool;
import dev.agentoperator.runner.tools.file.GlobTool;
import dev.agentoperator.runner.tools.file.GrepTool;
import dev.agentoperator.runner.tools.file.ListDirTool;
import dev.agentoperator.runner.tools.file.MultiEditTool;
import dev.agentoperator.runner.tools.file.ReadFileTool;
import dev.agentoperator.runner.tools.file.WriteFileTool;
import dev.agentoperator.runner.tools.publish.GitPushTool;
import dev.agentoperator.runner.tools.publish.OpenPullRequestTool;
import dev.agentoperator.runner.tools.publish.PublishSettings;
import dev.agentoperator.runner.tools.question.QuestionTool;
import dev.agentoperator.runner.tools.shell.ShellTool;
import dev.agentoperator.runner.tools.skill.SkillTool;
import dev.agentoperator.runner.tools.todo.TodoReadTool;
import dev.agentoperator.runner.tools.todo.TodoWriteTool;
import dev.agentoperator.runner.tools.web.WebFetchTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tools a run can call, each paired with its schema from {@code spec/tools/<name>.json} on the
 * classpath. The agent loop sends {@link #schemas()} to the model, turns each tool call into a
 * {@link PreparedCall} with {@link #prepare}, checks it against the policy, then {@link #execute}s
 * it. Neither step throws for a bad call: the model gets an error result it can act on.
 */
public final class ToolRegistry {

  /** Where the tool schemas live on the classpath (the repository's {@code spec/tools/}). */
  public static final String SCHEMA_LOCATION = "spec/tools/";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Map<String, Entry> entries;
  private final List<JsonNode> schemas;
  private final int resultCapChars;

  private static final ToolExecutor IN_PROCESS =
      (call, context) -> call.tool().call(call.arguments(), context);

  private record Entry(Tool tool, ArgumentValidator validator) {}

  private ToolRegistry(Map<String, Entry> entries, List<JsonNode> schemas, int resultCapChars) {
    this.entries = entries;
    this.schemas = schemas;
    this.resultCapChars = resultCapChars;
  }

  /** Every standard tool, configured with {@code settings}; publishing is not configured. */
  public static ToolRegistry standard(ToolSettings settings) {
    return standard(settings, PublishSettings.none());
  }

  /**
   * Every standard tool, configured with {@code settings}; {@code git_push} and {@code
   * open_pull_request} publish where {@code publish} says (nowhere when it is empty).
   */
  public static ToolRegistry standard(ToolSettings settings, PublishSettings publish) {
    return of(
        settings,
        List.of(
            new ShellTool(settings),
            new ReadFileTool(settings),
            new WriteFileTool(),
            new EditFileTool(),
            new MultiEditTool(),
            new ApplyPatchTool(),
            new ListDirTool(settings),
            new GlobTool(settings),
            new GrepTool(settings),
            new WebFetchTool(settings),
            new TodoWriteTool(),
            new TodoReadTool(),
            new QuestionTool(),
            new SkillTool(),
            new GitPushTool(publish),
            new OpenPullRequestTool(publish)));
  }

  /**
   * The given tools with their schemas loaded from the classpath; throws {@link
   * IllegalStateException} when a schema is missing, malformed, names another tool or uses a schema
   * keyword the validator cannot check.
   */
  public static ToolRegistry of(ToolSettings settings, List<Tool> tools) {
    return of(settings.resultCapChars(), new TreeMap<>(), new ArrayList<>(), tools);
  }

  /**
   * This registry plus {@code more} (e.g. the tools of a run's MCP servers), with their own schemas
   * (see {@link Tool#ownSchema()}); throws {@link IllegalStateException} on a duplicate name.
   */
  public ToolRegistry withTools(List<Tool> more) {
    return of(resultCapChars, new TreeMap<>(entries), new ArrayList<>(schemas), more);
  }

  private static ToolRegistry of(
      int resultCapChars, Map<String, Entry> entries, List<JsonNode> schemas, List<Tool> tools) {
    for (Tool tool : tools) {
      JsonNode schema = tool.ownSchema().orElseGet(() -> loadSchema(tool.name()));
      JsonNode parameters = schema.path("function").path("parameters");
      ArgumentValidator validator;
      try {
        validator = ArgumentValidator.forSchema(parameters);
      } catch (IllegalArgumentException e) {
        if (tool.ownSchema().isEmpty()) {
          throw new IllegalStateException("tool schema " + tool.name() + ": " + e.getMessage(), e);
        }
        // A schema from elsewhere (an MCP server's) may use keywords this validator does not
        // know: it checks only that the arguments are an object, and the tool's owner the rest.
        validator = ArgumentValidator.anyObject();
      }
      if (entries.put(tool.name(), new Entry(tool, validator)) != null) {
        throw new IllegalStateException("tool " + tool.name() + " registered twice");
      }
      if (tool.offered()) {
        schemas.add(schema);
      }
    }
    return new ToolRegistry(
        Collections.unmodifiableMap(entries), List.copyOf(schemas), resultCapChars);
  }

  /**
   * The entries for the model request's {@code tools} array, in registration order: the offered
   * tools only (see {@link Tool#offered()}).
   */
  public List<JsonNode> schemas() {
    return schemas;
  }

  /** The names of the registered tools, sorted. */
  public Set<String> names() {
    return entries.keySet();
  }

  /**
   * Parses and checks one call. Blank arguments count as {@code {}} (some models send an empty
   * string for a tool without parameters).
   */
  public PreparedCall prepare(String toolName, String rawArgumentsJson) {
    Entry entry = toolName == null ? null : entries.get(toolName);
    if (entry == null) {
      return PreparedCall.rejected(
          String.valueOf(toolName),
          "unknown tool '" + toolName + "'; available tools: " + String.join(", ", names()));
    }
    JsonNode arguments;
    try {
      arguments = parse(rawArgumentsJson);
    } catch (JsonProcessingException e) {
      return PreparedCall.rejected(
          toolName,
          "the arguments of "
              + toolName
              + " are not valid JSON ("
              + e.getOriginalMessage()
              + "); send a JSON object matching the tool's parameters");
    }
    List<String> problems = entry.validator().problems(arguments);
    if (!problems.isEmpty()) {
      return PreparedCall.rejected(
          toolName, "invalid arguments for " + toolName + ": " + String.join("; ", problems));
    }
    return PreparedCall.valid(entry.tool(), arguments);
  }

  /**
   * The approval summary of a prepared call: a runner tool's own description, else the main
   * argument. A failure to describe falls back to the main argument.
   */
  public String approvalSummary(PreparedCall call, ToolContext context) {
    if (!call.isValid() || call.tool().placement() != Tool.Placement.RUNNER) {
      return call.mainArgument();
    }
    try {
      return call.tool().approvalSummary(call.arguments(), context);
    } catch (RuntimeException e) {
      return call.mainArgument();
    }
  }

  /**
   * Runs a prepared call in this process, whatever its placement: what the sandbox's executor does
   * with the calls it receives (and what tool tests do).
   */
  public ToolResult execute(PreparedCall call, ToolContext context) throws InterruptedException {
    return execute(call, context, IN_PROCESS);
  }

  /**
   * Runs a prepared call where its tool belongs: {@link Tool.Placement#RUNNER} tools in this
   * process, every other tool through {@code sandbox}. A rejected call returns its rejection; a
   * tool's {@link ToolException} becomes an error result with its message; any other failure
   * becomes an error naming the tool. The result is capped whatever the executor sent. Only {@link
   * InterruptedException} (cancellation) propagates: also when the tool returned while the thread
   * was interrupted.
   */
  public ToolResult execute(PreparedCall call, ToolContext context, ToolExecutor sandbox)
      throws InterruptedException {
    if (!call.isValid()) {
      return call.rejection();
    }
    ToolExecutor executor = call.tool().placement() == Tool.Placement.RUNNER ? IN_PROCESS : sandbox;
    ToolResult result;
    try {
      result = executor.execute(call, context);
    } catch (InterruptedException e) {
      throw e;
    } catch (ToolException e) {
      result = ToolResult.error(e.getMessage());
    } catch (Exception | StackOverflowError e) {
      result =
          ToolResult.error(
              "tool "
                  + call.toolName()
                  + " failed unexpectedly: "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    if (Thread.interrupted()) {
      // A tool that saw the interrupt as an I/O failure (interruptible channels close and throw
      // ClosedByInterruptException) still ends as a cancellation, never as a tool error.
      throw new InterruptedException(call.toolName() + " cancelled");
    }
    if (result == null || result.content() == null) {
      return ToolResult.error("tool " + call.toolName() + " returned no result");
    }
    return new ToolResult(
        OutputLimit.headAndTail(result.content(), resultCapChars), result.error());
  }

  private static JsonNode parse(String raw) throws JsonProcessingException {
    if (raw == null || raw.isBlank()) {
      return JSON.createObjectNode();
    }
    JsonNode node = JSON.readTree(raw);
    return node == null || node.isNull() || node.isMissingNode() ? JSON.createObjectNode() : node;
  }

  private static JsonNode loadSchema(String name) {
    String resource = SCHEMA_LOCATION + name + ".json";
    try (InputStream in = ToolRegistry.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "no schema " + resource + " on the classpath for tool " + name);
      }
      JsonNode schema = JSON.readTree(in);
      String declared = schema.path("function").path("name").asText();
      if (!"function".equals(schema.path("type").asText()) || !name.equals(declared)) {
        throw new IllegalStateException(
            resource
                + " must be {\"type\":\"function\",\"function\":{\"name\":\""
                + name
                + "\"...}}");
      }
      return schema;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
