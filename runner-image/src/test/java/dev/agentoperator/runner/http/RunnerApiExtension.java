package dev.agentoperator.runner.http;

import dev.agentoperator.testing.model.Turn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The runner API tests' harness, one per test ({@code @RegisterExtension final RunnerApiExtension
 * api = new RunnerApiExtension()}): a fresh directory, then on {@link #start} a scripted model and
 * a real runner over it; after the test every runner still serving and the model are closed. A
 * runner the test {@linkplain RunnerHarness#abandon abandoned} is left as a killed process leaves
 * it: closing it would record a cancellation in the files a later runner reads.
 */
final class RunnerApiExtension implements BeforeEachCallback, AfterEachCallback {

  private final List<RunnerHarness> runners = new ArrayList<>();
  private Path root;
  private TurnScriptedModel model;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("runner-api-");
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      runners.reversed().stream().filter(r -> !r.abandoned()).forEach(RunnerHarness::close);
      if (model != null) {
        model.close();
      }
    } finally {
      delete(root);
    }
  }

  /** A model answering every task with {@code turns}, and a runner using it. */
  RunnerHarness start(Turn... turns) throws IOException {
    return start(Map.of(), turns);
  }

  /**
   * As {@link #start(Turn...)}, the runner's environment extended (or overridden) by {@code env}.
   */
  RunnerHarness start(Map<String, String> env, Turn... turns) throws IOException {
    return start(new TurnScriptedModel(turns), env);
  }

  /** A model with one script per task prefix (see {@link TurnScriptedModel}), and a runner. */
  RunnerHarness startWithScripts(Map<String, List<Turn>> scripts) throws IOException {
    return start(new TurnScriptedModel(scripts), Map.of());
  }

  /** Another runner over the same directories and model, as a restarted runner process. */
  RunnerHarness restart(Map<String, String> env) throws IOException {
    RunnerHarness runner = RunnerHarness.start(root, model, env);
    runners.add(runner);
    return runner;
  }

  RunnerHarness restart() throws IOException {
    return restart(Map.of());
  }

  TurnScriptedModel model() {
    return model;
  }

  /** The test's directory: the runners' workspace and state live under it. */
  Path root() {
    return root;
  }

  private RunnerHarness start(TurnScriptedModel scripted, Map<String, String> env)
      throws IOException {
    if (model != null) {
      throw new IllegalStateException("the model is started once per test; use restart()");
    }
    model = scripted;
    return restart(env);
  }

  private static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(RunnerApiExtension::deleteQuietly);
    } catch (UncheckedIOException e) {
      // a file vanished during the walk: left behind, see deleteQuietly
    }
  }

  // An abandoned runner's parked thread may still hold files under the directory: what cannot be
  // deleted is left to the system's temp cleanup rather than failing a test whose assertions
  // passed.
  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left behind, see above
    }
  }
}
