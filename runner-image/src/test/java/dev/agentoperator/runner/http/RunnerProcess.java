package dev.agentoperator.runner.http;

import dev.agentoperator.runner.sandbox.ExecutorServer;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code agent-runner serve} as a real child JVM on this test's classpath, configured by
 * environment variables like the sandbox pod; it can be killed like a pod whose node died.
 */
final class RunnerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("runner listening on [^:]*:(\\d+)");

  private final Process process;
  private final ExecutorServer executor;
  private final int port;
  private final List<String> output;

  private RunnerProcess(
      Process process, int port, List<String> output, ExecutorServer executor) {
    this.process = process;
    this.executor = executor;
    this.port = port;
    this.output = output;
  }

  /** Starts the process and waits until it logs its listening port. */
  static RunnerProcess start(Path root, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    return start(root, env, timeout, List.of());
  }

  /** As {@link #start(Path, Map, Duration)}, with extra JVM options. */
  static RunnerProcess start(
      Path root, Map<String, String> env, Duration timeout, List<String> jvmOptions)
      throws IOException, InterruptedException {
    List<String> launch = new ArrayList<>(jvmOptions);
    launch.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), "dev.agentoperator.runner.RunnerMain"));
    return launch(root, env, timeout, launch);
  }

  /** {@code java [jvmOptions] -jar <jar> serve}: the shaded jar, as the image runs it. */
  static RunnerProcess startJar(
      Path jar, Path root, Map<String, String> env, Duration timeout, List<String> jvmOptions)
      throws IOException, InterruptedException {
    List<String> launch = new ArrayList<>(jvmOptions);
    launch.addAll(List.of("-jar", jar.toString()));
    return launch(root, env, timeout, launch);
  }

  private static RunnerProcess launch(
      Path root, Map<String, String> env, Duration timeout, List<String> launch)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(launch);
    command.add("serve");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("AGENT_RUNNER_ADDRESS", "127.0.0.1:0");
    builder.environment().put("AGENT_WORKSPACE_DIR", root.resolve("workspace").toString());
    builder.environment().put("AGENT_STATE_DIR", root.resolve("state").toString());
    builder.environment().put("AGENT_EXECUTOR_SOCKET", root.resolve("executor.sock").toString());
    builder.environment().putAll(env);
    Path workspace = Path.of(builder.environment().get("AGENT_WORKSPACE_DIR"));
    Files.createDirectories(workspace);
    // The sandbox container's executor, in this JVM: these tests are about the runner process.
    ExecutorServer executor =
        ExecutorServer.start(
            Path.of(builder.environment().get("AGENT_EXECUTOR_SOCKET")),
            ToolRegistry.standard(ToolSettings.defaults()),
            workspace);
    Process process = builder.start();
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  output.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException e) {
                // the process died; the port future fails below
              }
              port.completeExceptionally(
                  new IllegalStateException("runner exited without listening: " + output));
            });
    try {
      return new RunnerProcess(
          process, port.get(timeout.toMillis(), TimeUnit.MILLISECONDS), output, executor);
    } catch (Exception e) {
      process.destroyForcibly();
      executor.close();
      throw new IllegalStateException("runner did not start: " + output, e);
    }
  }

  int port() {
    return port;
  }

  /** CPU time the process has used so far, all its threads. */
  Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGTERM, as the kubelet stops a pod: shutdown hooks run; waits for the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    executor.close();
    return process.waitFor();
  }

  /** SIGKILL: no shutdown hook, no last event, like a node that vanished. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    executor.close();
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
