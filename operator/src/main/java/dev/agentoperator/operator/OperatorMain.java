package dev.agentoperator.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentoperator.operator.config.InvalidConfigException;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.gateway.GatewayMain;
import dev.agentoperator.operator.run.AgentRunReconciler;
import dev.agentoperator.operator.run.RunMetrics;
import dev.agentoperator.operator.run.RunSettings;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.session.AgentSessionReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: configuration from the environment, the reconcilers, metrics and health
 * endpoints, leader election. {@link #start} is the same wiring for the local cluster and tests.
 */
public final class OperatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  private static final String USAGE =
      """
      usage: agent-operator run       the operator, against the current cluster (the default)
             agent-operator gateway   the model gateway, against the current cluster
      """;

  /** The operator image's entry point: {@code run} (or no argument) or {@code gateway}. */
  public static void main(String[] args) throws IOException, InterruptedException {
    String command = args.length == 0 ? "run" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "run" -> run();
      case "gateway" -> GatewayMain.main(rest);
      case "-h", "--help", "help" -> System.out.print(USAGE);
      default -> {
        System.err.print("agent-operator: unknown command " + command + "\n" + USAGE);
        System.exit(2);
      }
    }
  }

  private static void run() {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (InvalidConfigException e) {
      System.err.println("agent-operator: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    RunningOperator running =
        start(new KubernetesClientBuilder().build(), config, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "agent-operator-shutdown"));
  }

  /**
   * Starts the operator against {@code client}: registers the reconcilers, starts the informers and
   * serves {@code /metrics}, {@code /healthz} and {@code /readyz} on the metrics port. The caller
   * owns {@code client}; {@link RunningOperator#stop()} leaves it open.
   */
  public static RunningOperator start(KubernetesClient client, OperatorConfig config, Clock clock) {
    return start(client, config, clock, RunSettings.from(config));
  }

  /**
   * {@link #start(KubernetesClient, OperatorConfig, Clock)} with the run reconciler's timing knobs
   * given explicitly (tests and the local cluster shorten the safety-net intervals).
   */
  public static RunningOperator start(
      KubernetesClient client, OperatorConfig config, Clock clock, RunSettings runSettings) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = new Operator(overrides(client, config, registry));
    for (Reconciler<?> reconciler : reconcilers(config, clock, registry, runSettings)) {
      register(operator, reconciler, config);
    }
    HealthServer http = healthAndMetricsServer(config.metricsPort(), operator, registry);
    operator.start();
    LOG.info(
        "agent-operator started namespaces={} metricsPort={} leaderElection={}",
        config.watchesAllNamespaces() ? "all" : config.namespaces(),
        http.server().getAddress().getPort(),
        config.leaderElection());
    return new RunningOperator(operator, http, registry);
  }

  /** The reconcilers of the operator, one per kind. */
  static List<Reconciler<?>> reconcilers(
      OperatorConfig config, Clock clock, MeterRegistry registry, RunSettings runSettings) {
    RunnerClient runner = new RunnerClient(config.runnerPort());
    return List.of(
        new AgentSessionReconciler(config, clock, new SecureRandom(), runner),
        new AgentRunReconciler(runner, runSettings, clock, new RunMetrics(registry)));
  }

  /**
   * SSA off for the primary and dependents: the mock API server has none, and production runs what
   * the tests run.
   */
  private static Consumer<ConfigurationServiceOverrider> overrides(
      KubernetesClient client, OperatorConfig config, MeterRegistry registry) {
    return o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(
            new LeaderElectionConfiguration(
                config.leaseName(),
                config.leaseNamespace().orElse(null),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                null,
                new LeaseLossExit(),
                false));
      }
    };
  }

  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(
      Operator operator, Reconciler<P> reconciler, OperatorConfig config) {
    operator.register(
        reconciler,
        overrider -> {
          // managedFields are never read here and cost about a KiB per cached object
          overrider.withItemStore(new TransformingItemStore<P>(OperatorMain::withoutManagedFields));
          if (!config.watchesAllNamespaces()) {
            overrider.settingNamespaces(config.namespaces());
          }
        });
  }

  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata> P withoutManagedFields(
      P resource) {
    resource.getMetadata().setManagedFields(null);
    return resource;
  }

  /** The metrics and health HTTP server and the executor of its handlers. */
  private record HealthServer(HttpServer server, ExecutorService executor) {
    void stop() {
      server.stop(0);
      executor.close();
    }
  }

  private static HealthServer healthAndMetricsServer(
      int port, Operator operator, PrometheusMeterRegistry registry) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(executor);
      server.createContext(
          "/metrics",
          exchange ->
              respond(
                  exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
      server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok\n"));
      server.createContext(
          "/readyz",
          exchange -> {
            boolean ready =
                operator.getRuntimeInfo().isStarted()
                    && operator.getRuntimeInfo().allEventSourcesAreHealthy();
            respond(exchange, ready ? 200 : 503, "text/plain", ready ? "ready\n" : "not ready\n");
          });
      server.start();
      return new HealthServer(server, executor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics and health on port " + port, e);
    }
  }

  private static void respond(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A started operator; {@link #stop()} stops the reconcilers and the HTTP server. */
  public static final class RunningOperator {
    private final Operator operator;
    private final HealthServer http;
    private final PrometheusMeterRegistry registry;

    RunningOperator(Operator operator, HealthServer http, PrometheusMeterRegistry registry) {
      this.operator = operator;
      this.http = http;
      this.registry = registry;
    }

    /** The port of {@code /metrics}, {@code /healthz} and {@code /readyz}. */
    public int metricsPort() {
      return http.server().getAddress().getPort();
    }

    /** The registry behind {@code /metrics}, for meters of the operator's own. */
    public MeterRegistry meterRegistry() {
      return registry;
    }

    /** The JOSDK operator, e.g. to wait for its controllers. */
    public Operator operator() {
      return operator;
    }

    public void stop() {
      operator
          .getConfigurationService()
          .getLeaderElectionConfiguration()
          .flatMap(LeaderElectionConfiguration::getLeaderCallbacks)
          .filter(LeaseLossExit.class::isInstance)
          .ifPresent(callbacks -> ((LeaseLossExit) callbacks).disarm());
      try {
        operator.stop();
      } finally {
        http.stop();
        registry.close();
      }
    }
  }
}
