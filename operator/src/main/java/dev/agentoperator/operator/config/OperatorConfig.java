package dev.agentoperator.operator.config;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The operator's configuration, read once from environment variables by {@link #fromEnv(Map)}.
 *
 * <table>
 *   <caption>Environment variables and their defaults</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code AGENT_OPERATOR_NAMESPACES}</td><td>comma-separated namespaces to watch</td>
 *       <td>empty: all namespaces</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_RUNNER_IMAGE}</td><td>runner image when a session names none</td>
 *       <td>{@value #DEFAULT_RUNNER_IMAGE}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_RUNNER_CPU_REQUEST}</td><td>runner CPU request when a session
 *       sets no resources</td><td>{@code 250m}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_RUNNER_MEMORY_REQUEST}</td><td>runner memory request</td>
 *       <td>{@code 512Mi}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_RUNNER_CPU_LIMIT}</td><td>runner CPU limit</td>
 *       <td>{@code 2}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_RUNNER_MEMORY_LIMIT}</td><td>runner memory limit</td>
 *       <td>{@code 2Gi}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_RUNNER_PORT}</td><td>port of the runner's HTTP API in the
 *       sandbox pod</td><td>{@code 8080}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_POD_SELECTOR}</td><td>labels of the operator's own pods
 *       ({@code k=v,k=v}); the sandbox NetworkPolicy admits only them</td>
 *       <td>{@code app.kubernetes.io/name=agent-operator}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_MAX_ATTEMPTS}</td><td>dispatches of one run (first plus resumes
 *       after a lost pod) before it fails</td><td>{@code 3}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_STATUS_WRITE_INTERVAL}</td><td>least time between two
 *       non-milestone status writes of one run</td><td>{@code 1s}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_METRICS_PORT}</td><td>port of {@code /metrics},
 *       {@code /healthz} and {@code /readyz}; 0 picks a free port</td><td>{@code 8081}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_LEADER_ELECTION}</td><td>{@code true} to run with a lease so
 *       only one replica reconciles</td><td>{@code false}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_LEASE_NAME}</td><td>name of the leader election Lease</td>
 *       <td>{@code agent-operator-leader}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_LEASE_NAMESPACE}</td><td>namespace of the Lease</td>
 *       <td>empty: the operator pod's own namespace</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_LOG_FORMAT}</td><td>{@code text} or {@code json} for the
 *       runners it starts ({@code AGENT_LOG_FORMAT}); the operator's own log is text for
 *       now</td><td>{@code text}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_WORKSPACE_SIZE}</td><td>workspace claim size when a session sets
 *       none</td><td>{@code 1Gi}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_POD_RECREATE_BACKOFF}</td><td>first wait before a failed sandbox
 *       pod is recreated; doubles per failure</td><td>{@code 10s}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_POD_RECREATE_BACKOFF_MAX}</td><td>longest such wait</td>
 *       <td>{@code 5m}</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_GATEWAY_URL}</td><td>base URL of the model gateway (without
 *       {@code /v1}); set, {@code openai} sessions reach their model through it and the provider
 *       key never enters a sandbox pod</td><td>empty: no gateway, sessions call providers
 *       directly</td></tr>
 *   <tr><td>{@code AGENT_OPERATOR_GATEWAY_POD_SELECTOR}</td><td>labels of the gateway's pods
 *       ({@code k=v,k=v}); the sandbox NetworkPolicy lets pods reach only them (on the URL's
 *       port, which must be the pods' port)</td>
 *       <td>{@code app.kubernetes.io/name=agent-gateway}</td></tr>
 * </table>
 *
 * @param namespaces namespaces to watch; empty means all
 * @param runnerImage runner image when a session names none
 * @param runnerCpuRequest default CPU request of the runner container
 * @param runnerMemoryRequest default memory request of the runner container
 * @param runnerCpuLimit default CPU limit of the runner container
 * @param runnerMemoryLimit default memory limit of the runner container
 * @param runnerPort port of the runner's HTTP API
 * @param operatorPodLabels labels selecting the operator's pods for the NetworkPolicy ingress
 * @param maxAttempts dispatches of one run before it fails
 * @param statusWriteInterval least time between two non-milestone status writes of one run
 * @param metricsPort port of the metrics and health endpoints (0: any free port)
 * @param leaderElection whether to take a Lease before reconciling
 * @param leaseName name of the Lease
 * @param leaseNamespace namespace of the Lease; empty: the operator pod's namespace
 * @param logFormat log format of the runners
 * @param defaultWorkspaceSize workspace claim size when a session sets none
 * @param podRecreateBackoff first wait before recreating a failed pod
 * @param podRecreateBackoffMax longest wait before recreating a failed pod
 * @param gatewayUrl base URL of the model gateway; empty: none
 * @param gatewayPodLabels labels selecting the gateway's pods for the NetworkPolicy egress
 */
public record OperatorConfig(
    Set<String> namespaces,
    String runnerImage,
    String runnerCpuRequest,
    String runnerMemoryRequest,
    String runnerCpuLimit,
    String runnerMemoryLimit,
    int runnerPort,
    Map<String, String> operatorPodLabels,
    int maxAttempts,
    Duration statusWriteInterval,
    int metricsPort,
    boolean leaderElection,
    String leaseName,
    Optional<String> leaseNamespace,
    LogFormat logFormat,
    String defaultWorkspaceSize,
    Duration podRecreateBackoff,
    Duration podRecreateBackoffMax,
    Optional<String> gatewayUrl,
    Map<String, String> gatewayPodLabels) {

  public static final String DEFAULT_RUNNER_IMAGE = "ghcr.io/agentoperator/agent-runner:0.1.0";

  public OperatorConfig {
    namespaces = Collections.unmodifiableSet(new LinkedHashSet<>(namespaces));
    operatorPodLabels = Collections.unmodifiableMap(new LinkedHashMap<>(operatorPodLabels));
    gatewayPodLabels = Collections.unmodifiableMap(new LinkedHashMap<>(gatewayPodLabels));
  }

  /** The configuration with every default, as an empty environment gives. */
  public static OperatorConfig defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the configuration from environment variables (see the class documentation).
   *
   * @throws InvalidConfigException naming the variable and what it should hold
   */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    EnvReader in = new EnvReader(env);
    OperatorConfig config =
        new OperatorConfig(
            in.get("AGENT_OPERATOR_NAMESPACES", "", OperatorConfig::parseNamespaces),
            in.get("AGENT_OPERATOR_RUNNER_IMAGE", DEFAULT_RUNNER_IMAGE, OperatorConfig::nonBlank),
            in.get("AGENT_OPERATOR_RUNNER_CPU_REQUEST", "250m", OperatorConfig::quantity),
            in.get("AGENT_OPERATOR_RUNNER_MEMORY_REQUEST", "512Mi", OperatorConfig::quantity),
            in.get("AGENT_OPERATOR_RUNNER_CPU_LIMIT", "2", OperatorConfig::quantity),
            in.get("AGENT_OPERATOR_RUNNER_MEMORY_LIMIT", "2Gi", OperatorConfig::quantity),
            in.get("AGENT_OPERATOR_RUNNER_PORT", "8080", v -> port(v, 1)),
            in.get(
                "AGENT_OPERATOR_POD_SELECTOR",
                "app.kubernetes.io/name=agent-operator",
                OperatorConfig::parseLabels),
            in.get("AGENT_OPERATOR_MAX_ATTEMPTS", "3", v -> positiveInt(v)),
            in.get("AGENT_OPERATOR_STATUS_WRITE_INTERVAL", "1s", Durations::parse),
            in.get("AGENT_OPERATOR_METRICS_PORT", "8081", v -> port(v, 0)),
            in.get("AGENT_OPERATOR_LEADER_ELECTION", "false", OperatorConfig::bool),
            in.get("AGENT_OPERATOR_LEASE_NAME", "agent-operator-leader", OperatorConfig::nonBlank),
            in.get(
                "AGENT_OPERATOR_LEASE_NAMESPACE",
                "",
                v -> v.isBlank() ? Optional.<String>empty() : Optional.of(v.strip())),
            in.get("AGENT_OPERATOR_LOG_FORMAT", "text", OperatorConfig::logFormat),
            in.get("AGENT_OPERATOR_WORKSPACE_SIZE", "1Gi", OperatorConfig::quantity),
            in.get("AGENT_OPERATOR_POD_RECREATE_BACKOFF", "10s", Durations::parse),
            in.get("AGENT_OPERATOR_POD_RECREATE_BACKOFF_MAX", "5m", Durations::parse),
            in.get("AGENT_OPERATOR_GATEWAY_URL", "", OperatorConfig::gatewayUrl),
            in.get(
                "AGENT_OPERATOR_GATEWAY_POD_SELECTOR",
                "app.kubernetes.io/name=agent-gateway",
                OperatorConfig::parseLabels));
    if (config.podRecreateBackoffMax().compareTo(config.podRecreateBackoff()) < 0) {
      throw new InvalidConfigException(
          "AGENT_OPERATOR_POD_RECREATE_BACKOFF_MAX ("
              + config.podRecreateBackoffMax()
              + ") must not be shorter than AGENT_OPERATOR_POD_RECREATE_BACKOFF ("
              + config.podRecreateBackoff()
              + ")");
    }
    return config;
  }

  /** True when the operator watches every namespace. */
  public boolean watchesAllNamespaces() {
    return namespaces.isEmpty();
  }

  /** A fresh copy of the default runner resources (Fabric8 models are mutable). */
  public ResourceRequirements defaultRunnerResources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(runnerCpuRequest))
        .addToRequests("memory", new Quantity(runnerMemoryRequest))
        .addToLimits("cpu", new Quantity(runnerCpuLimit))
        .addToLimits("memory", new Quantity(runnerMemoryLimit))
        .build();
  }

  /** This configuration with the model gateway at {@code url} (empty: none). */
  public OperatorConfig withGatewayUrl(Optional<String> url) {
    return new OperatorConfig(
        namespaces,
        runnerImage,
        runnerCpuRequest,
        runnerMemoryRequest,
        runnerCpuLimit,
        runnerMemoryLimit,
        runnerPort,
        operatorPodLabels,
        maxAttempts,
        statusWriteInterval,
        metricsPort,
        leaderElection,
        leaseName,
        leaseNamespace,
        logFormat,
        defaultWorkspaceSize,
        podRecreateBackoff,
        podRecreateBackoffMax,
        url.map(OperatorConfig::gatewayUrl).flatMap(u -> u),
        gatewayPodLabels);
  }

  /** The port of the gateway URL (its scheme's default when it names none). */
  public Optional<Integer> gatewayPort() {
    return gatewayUrl.map(
        url -> {
          java.net.URI uri = java.net.URI.create(url);
          return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        });
  }

  private static Optional<String> gatewayUrl(String value) {
    String url = value.strip();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    if (!url.matches("^https?://[^/\\s]+/?$")) {
      throw new IllegalArgumentException(
          "must be http(s)://host[:port] without a path, e.g. http://agent-gateway.agents:8090");
    }
    return Optional.of(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }

  private static Set<String> parseNamespaces(String value) {
    Set<String> result = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String name = part.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || name.length() > 63) {
        throw new IllegalArgumentException("'" + name + "' is not a namespace name");
      }
      result.add(name);
    }
    return result;
  }

  private static Map<String, String> parseLabels(String value) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException("expected key=value pairs, got '" + pair.strip() + "'");
      }
      labels.put(kv[0].strip(), kv[1].strip());
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException(
          "needs at least one key=value label, or the runner would accept any pod");
    }
    return labels;
  }

  private static LogFormat logFormat(String value) {
    for (LogFormat format : LogFormat.values()) {
      if (format.name().equals(value.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException("must be text or json");
  }

  private static String nonBlank(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return value.strip();
  }

  private static String quantity(String value) {
    String trimmed = value.strip();
    if (!trimmed.matches("^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|K|M|G|T)?$")) {
      throw new IllegalArgumentException("not a quantity (e.g. 500m, 2, 512Mi, 1Gi)");
    }
    return trimmed;
  }

  private static int port(String value, int min) {
    int port = Integer.parseInt(value.strip());
    if (port < min || port > 65535) {
      throw new IllegalArgumentException("must be a port between " + min + " and 65535");
    }
    return port;
  }

  private static int positiveInt(String value) {
    int n = Integer.parseInt(value.strip());
    if (n < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return n;
  }

  private static boolean bool(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  /** Reads one variable, falls back to its default, and names the variable in any error. */
  private record EnvReader(Map<String, String> env) {
    <T> T get(String key, String defaultValue, Function<String, T> parser) {
      String raw = env.get(key);
      String value = raw == null || raw.isEmpty() ? defaultValue : raw;
      try {
        return parser.apply(value);
      } catch (RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        throw new InvalidConfigException(
            key + "='" + value + "' is invalid: " + why + " (default: '" + defaultValue + "')");
      }
    }
  }
}
