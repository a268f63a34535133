package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.policy.ToolPolicy;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.runner.events.ConsoleReporter;
import dev.agentoperator.runner.llm.Cassette;
import dev.agentoperator.runner.llm.ChatModel;
import dev.agentoperator.runner.llm.OpenAiChatModel;
import dev.agentoperator.runner.llm.OpenAiSettings;
import dev.agentoperator.runner.llm.RecordingChatModel;
import dev.agentoperator.runner.llm.ReplayChatModel;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code agent-runner run}: one run in this process, its transcript on stdout. Exit code 0 when the
 * run succeeded, 1 when it ended otherwise, 2 for bad usage.
 */
public final class RunCommand {

  public static final String USAGE =
      """
      agent-runner run --workspace DIR --state DIR --prompt TEXT [options]
        --provider openai|replay   model provider (default openai)
        --base-url URL             OpenAI-compatible endpoint (default $OPENAI_BASE_URL or %s)
        --model NAME               model name (default $OPENAI_MODEL or gpt-4o-mini)
        --temperature X            sampling temperature
        --cassette FILE            replay cassette (provider replay)
        --record FILE              append each model turn to this cassette (provider openai)
        --no-stream                use non-streaming requests
        --run-uid UID              names the run's state directory (default run-<time>)
        --resume                   continue the run UID from its checkpoint
        --max-steps N --max-tokens N --max-tool-calls N --timeout 30m
        --context-budget N         tokens per request (default %d)
        --allow P --ask P --deny P tool policy patterns (repeatable; none given: every tool
                                   is denied; --allow '*' allows every tool)
        --system-prompt FILE       replace the default system prompt
        --log-format text|json     stdout format (default text)
      The API key is read from $OPENAI_API_KEY or $AGENT_MODEL_API_KEY.
      """
          .formatted(OpenAiSettings.DEFAULT_BASE_URL, LoopConfig.DEFAULT_CONTEXT_BUDGET);

  private static final Set<String> VALUED =
      Set.of(
          "--workspace",
          "--state",
          "--prompt",
          "--provider",
          "--base-url",
          "--model",
          "--temperature",
          "--cassette",
          "--record",
          "--run-uid",
          "--max-steps",
          "--max-tokens",
          "--max-tool-calls",
          "--timeout",
          "--context-budget",
          "--allow",
          "--ask",
          "--deny",
          "--system-prompt",
          "--log-format");
  private static final Set<String> FLAGS = Set.of("--resume", "--no-stream");
  private static final String RUNNER_TOKEN_ENV = RunnerEnv.RUNNER_TOKEN;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public RunCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public int execute(List<String> args) {
    AgentLoop loop;
    boolean resume;
    try {
      CliOptions options = CliOptions.parse(args, VALUED, FLAGS);
      resume = options.flag("--resume");
      loop = loop(options);
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("agent-runner run: " + e.getMessage());
      err.println();
      err.print(USAGE);
      return 2;
    }
    Thread main = Thread.currentThread();
    Thread stopper =
        Thread.ofPlatform()
            .unstarted(
                () -> {
                  loop.cancel();
                  try {
                    main.join(Duration.ofSeconds(5));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      RunResult result = resume ? loop.resume() : loop.run();
      if ("Suspended".equals(result.reason())) {
        out.println(
            "== run "
                + result.runUid()
                + " suspended; continue it with --resume --run-uid "
                + result.runUid());
      }
      return result.phase() == RunPhase.Succeeded ? 0 : 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it cancelled this run and waits for it
      }
    }
  }

  private AgentLoop loop(CliOptions options) {
    Path workspace = directory(options.required("--workspace"), "--workspace");
    Path state = Path.of(options.required("--state"));
    if (options.flag("--resume") && options.get("--run-uid") == null) {
      throw new IllegalArgumentException("option --resume needs --run-uid (the run to continue)");
    }
    String runUid =
        options.get(
            "--run-uid",
            "run-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .format(ZonedDateTime.now(ZoneOffset.UTC)));
    String prompt =
        options.flag("--resume")
            ? options.get("--prompt", "(resumed)")
            : options.required("--prompt");
    String apiKey = firstNonBlank(env.get("OPENAI_API_KEY"), env.get(RunnerEnv.MODEL_API_KEY));
    String modelName =
        options.get(
            "--model",
            "replay".equals(options.get("--provider"))
                ? "replay"
                : firstNonBlank(env.get("OPENAI_MODEL"), "gpt-4o-mini"));

    // One run on the user's own machine, for trying prompts: tools run in this process, with this
    // user's rights. The sandbox pod never uses this command (it serves, and executes in the
    // sandbox container).
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults());
    ToolBox tools = new RegistryToolBox(registry, registry::execute);
    LoopConfig config =
        LoopConfig.of(model(options, apiKey), modelName, tools, workspace, state)
            .withRedactor(new Redactor(secrets(apiKey)));
    if (options.get("--context-budget") != null) {
      config = config.withContextTokenBudget(options.integer("--context-budget"));
    }
    if (options.get("--system-prompt") != null) {
      config = config.withSystemPrompt(read(options.get("--system-prompt"), "--system-prompt"));
    }
    RunLimits limits = RunLimits.defaults();
    if (options.get("--max-steps") != null) {
      limits = limits.withMaxSteps(options.integer("--max-steps"));
    }
    if (options.get("--max-tokens") != null) {
      limits = limits.withMaxTokens(options.integer("--max-tokens").longValue());
    }
    if (options.get("--max-tool-calls") != null) {
      limits = limits.withMaxToolCalls(options.integer("--max-tool-calls"));
    }
    if (options.get("--timeout") != null) {
      limits = limits.withTimeout(options.duration("--timeout"));
    }
    // Fail closed as the API does: no patterns is an empty policy, which denies every tool.
    ToolPolicy policy =
        ToolPolicy.of(options.all("--allow"), options.all("--ask"), options.all("--deny"));
    if (options.all("--allow").isEmpty() && options.all("--ask").isEmpty()) {
      err.println(
          "agent-runner run: no --allow or --ask pattern given, so every tool call is denied;"
              + " pass --allow '*' to allow every tool");
    }
    Double temperature =
        options.get("--temperature") == null ? null : temperature(options.get("--temperature"));
    RunSpec spec = new RunSpec(runUid, prompt, null, temperature, limits, policy::decide);

    ConsoleReporter.Format format =
        ConsoleReporter.Format.parse(options.get("--log-format", "text"));
    AgentLoop loop = new AgentLoop(config, spec);
    loop.events().addListener(new ConsoleReporter(out, format));
    return loop;
  }

  private ChatModel model(CliOptions options, String apiKey) {
    String provider = options.get("--provider", "openai");
    return switch (provider) {
      case "replay" ->
          new ReplayChatModel(Cassette.load(file(options.required("--cassette"), "--cassette")));
      case "openai" -> {
        String baseUrl =
            options.get(
                "--base-url",
                firstNonBlank(env.get("OPENAI_BASE_URL"), OpenAiSettings.DEFAULT_BASE_URL));
        ChatModel live =
            new OpenAiChatModel(
                OpenAiSettings.of(baseUrl, apiKey == null ? "" : apiKey)
                    .withStream(!options.flag("--no-stream")));
        yield options.get("--record") == null
            ? live
            : new RecordingChatModel(live, Path.of(options.get("--record")));
      }
      default ->
          throw new IllegalArgumentException(
              "unknown provider '" + provider + "' (expected openai or replay)");
    };
  }

  private List<String> secrets(String apiKey) {
    List<String> secrets = new ArrayList<>();
    secrets.add(apiKey);
    secrets.add(env.get(RUNNER_TOKEN_ENV));
    return secrets;
  }

  private static Double temperature(String value) {
    try {
      return Double.valueOf(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option --temperature must be a number, got '" + value + "'");
    }
  }

  private static Path directory(String value, String option) {
    Path path = Path.of(value);
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(option + " " + value + " is not a directory");
    }
    return path.toAbsolutePath().normalize();
  }

  private static Path file(String value, String option) {
    Path path = Path.of(value);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(option + " " + value + " is not a readable file");
    }
    return path;
  }

  private static String read(String value, String option) {
    try {
      return Files.readString(file(value, option));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + option + " " + value + ": " + e.getMessage());
    }
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
