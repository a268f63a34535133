package dev.agentoperator.contract.runner;

import java.util.Locale;

/**
 * The names of the environment variables the operator gives the runner's containers and the runner
 * reads ({@code spec/runner-env.md}, where the defaults and details are). The operator's sandbox
 * pod and the runner's settings both use these, so a rename cannot reach only one side.
 */
public final class RunnerEnv {

  /** Host:port the HTTP API listens on. */
  public static final String RUNNER_ADDRESS = "AGENT_RUNNER_ADDRESS";

  /** Bearer token for {@code /v1}. */
  public static final String RUNNER_TOKEN = "AGENT_RUNNER_TOKEN";

  /** Unix socket of the sandbox container's tool executor (an emptyDir at {@code /run/agent}). */
  public static final String EXECUTOR_SOCKET = "AGENT_EXECUTOR_SOCKET";

  /** Set by a kubelet that cannot isolate the sandbox: the executor refuses every call with it. */
  public static final String EXECUTOR_REFUSAL = "AGENT_EXECUTOR_REFUSAL";

  /** The Java runtime copied for the executor. */
  public static final String EXECUTOR_RUNTIME = "AGENT_EXECUTOR_RUNTIME";

  /** The agent's files. */
  public static final String WORKSPACE_DIR = "AGENT_WORKSPACE_DIR";

  /** Transcripts, checkpoints, events, {@code snapshots.git}. */
  public static final String STATE_DIR = "AGENT_STATE_DIR";

  /** {@code openai} or {@code replay}. */
  public static final String MODEL_PROVIDER = "AGENT_MODEL_PROVIDER";

  /** OpenAI-compatible base URL. */
  public static final String MODEL_BASE_URL = "AGENT_MODEL_BASE_URL";

  /** Model name. */
  public static final String MODEL_NAME = "AGENT_MODEL_NAME";

  /** API key. */
  public static final String MODEL_API_KEY = "AGENT_MODEL_API_KEY";

  /** {@code true}: the base URL is the agent gateway. */
  public static final String MODEL_GATEWAY = "AGENT_MODEL_GATEWAY";

  /** Sampling temperature. */
  public static final String MODEL_TEMPERATURE = "AGENT_MODEL_TEMPERATURE";

  /** Max tokens per model turn. */
  public static final String MODEL_MAX_OUTPUT_TOKENS = "AGENT_MODEL_MAX_OUTPUT_TOKENS";

  /** Context budget in tokens. */
  public static final String MODEL_CONTEXT_WINDOW = "AGENT_MODEL_CONTEXT_WINDOW";

  /** First pause before a failed model call is retried, in milliseconds. */
  public static final String MODEL_RETRY_BACKOFF_MS = "AGENT_MODEL_RETRY_BACKOFF_MS";

  /** Longest pause between two retries of a model call, in milliseconds. */
  public static final String MODEL_RETRY_BACKOFF_MAX_MS = "AGENT_MODEL_RETRY_BACKOFF_MAX_MS";

  /** Path of a replay cassette. */
  public static final String MODEL_CASSETTE = "AGENT_MODEL_CASSETTE";

  /** Files larger than this are left out of workspace snapshots. */
  public static final String SNAPSHOT_MAX_FILE_BYTES = "AGENT_SNAPSHOT_MAX_FILE_BYTES";

  /** {@code text}. */
  public static final String LOG_FORMAT = "AGENT_LOG_FORMAT";

  /** Repository cloned into an empty workspace. */
  public static final String GIT_URL = "AGENT_GIT_URL";

  /** Branch, tag or commit. */
  public static final String GIT_REF = "AGENT_GIT_REF";

  /** Directory with {@code username} and {@code password} files. */
  public static final String GIT_CREDENTIALS_DIR = "AGENT_GIT_CREDENTIALS_DIR";

  /** The URL {@code git_push} pushes to. */
  public static final String GIT_PUSH_REMOTE = "AGENT_GIT_PUSH_REMOTE";

  /** Comma-separated branch patterns the agent may push to. */
  public static final String GIT_PUSH_BRANCHES = "AGENT_GIT_PUSH_BRANCHES";

  /** {@code true} lets {@code git_push} force-push. */
  public static final String GIT_PUSH_ALLOW_FORCE = "AGENT_GIT_PUSH_ALLOW_FORCE";

  /** Directory with {@code username} and {@code password}. */
  public static final String GIT_PUSH_CREDENTIALS_DIR = "AGENT_GIT_PUSH_CREDENTIALS_DIR";

  /** {@code github}, {@code gitlab} or {@code gitea}. */
  public static final String PR_PROVIDER = "AGENT_PR_PROVIDER";

  /** Base URL of the forge's REST API. */
  public static final String PR_API_URL = "AGENT_PR_API_URL";

  /** {@code owner/name}. */
  public static final String PR_REPOSITORY = "AGENT_PR_REPOSITORY";

  /** File holding the API token, read at each call. */
  public static final String PR_TOKEN_FILE = "AGENT_PR_TOKEN_FILE";

  /** The base branch when the agent names none. */
  public static final String PR_BASE_BRANCH = "AGENT_PR_BASE_BRANCH";

  /** The session's MCP servers as a JSON array. */
  public static final String MCP_SERVERS = "AGENT_MCP_SERVERS";

  /** The session's skills from git, a JSON array, for the init step. */
  public static final String SKILLS_GIT = "AGENT_SKILLS_GIT";

  /** The sandbox container's group, which must be able to write the workspace (init step). */
  public static final String SANDBOX_GID = "AGENT_SANDBOX_GID";

  /** Where the init step writes the reason of a failure (the container's termination message). */
  public static final String TERMINATION_LOG = "AGENT_TERMINATION_LOG";

  private static final String SKILL_DIR_PREFIX = "AGENT_SKILL_DIR_";

  private RunnerEnv() {}

  /**
   * {@code AGENT_SKILL_DIR_<NAME>}: the directory the init step copies the git skill {@code name}
   * into ({@code NAME} upper case, '-' as '_'). A method, not a constant: one variable per skill.
   */
  public static String skillDir(String name) {
    return SKILL_DIR_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
