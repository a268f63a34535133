package dev.agentoperator.operator.dev.kubelet;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the runner's shaded jar, which stands in for the runner image: {@code --runner-jar}, else
 * {@code AGENT_RUNNER_JAR}, else {@code runner-image/target/agent-runner-*-all.jar} in the current
 * directory, its parents, or beside this operator jar's repository.
 */
public final class RunnerJarLocator {

  /** The environment variable naming the runner jar. */
  public static final String ENV = "AGENT_RUNNER_JAR";

  private RunnerJarLocator() {}

  /**
   * The runner jar.
   *
   * @throws IllegalStateException saying where it looked and how to build it
   */
  public static Path locate(Optional<Path> explicit, Map<String, String> env, Path workingDir) {
    if (explicit.isPresent()) {
      return existing(explicit.get(), "--runner-jar");
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return existing(Path.of(fromEnv), ENV);
    }
    List<Path> from = new ArrayList<>();
    from.add(workingDir);
    ownJarDir().ifPresent(from::add);
    return search(from);
  }

  /**
   * The newest shaded runner jar in {@code runner-image/target} under any of {@code from} or their
   * parents.
   */
  static Path search(List<Path> from) {
    Set<Path> roots = new LinkedHashSet<>();
    for (Path start : from) {
      for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        roots.add(dir);
      }
    }
    List<Path> looked = new ArrayList<>();
    for (Path root : roots) {
      Path target = root.resolve("runner-image").resolve("target");
      looked.add(target);
      Optional<Path> jar = newestShadedJar(target);
      if (jar.isPresent()) {
        return jar.get();
      }
    }
    throw new IllegalStateException(
        "the runner jar (runner-image/target/agent-runner-*-all.jar) was not found; build it with"
            + " `./mvnw -B -q -DskipTests package` from the repository root, or name it with"
            + " --runner-jar or " + ENV + ". Looked in: " + looked);
  }

  /** The newest {@code agent-runner-*-all.jar} in {@code dir}, if any. */
  public static Optional<Path> newestShadedJar(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> {
            String name = f.getFileName().toString();
            return name.startsWith("agent-runner-") && name.endsWith("-all.jar");
          })
          .max(Comparator.comparing(f -> f.toFile().lastModified()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Path existing(Path jar, String source) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(source + " names " + jar + ", which is not a file");
    }
    return jar.toAbsolutePath();
  }

  private static Optional<Path> ownJarDir() {
    try {
      var location = RunnerJarLocator.class.getProtectionDomain().getCodeSource();
      return location == null
          ? Optional.empty()
          : Optional.ofNullable(Path.of(location.getLocation().toURI()).getParent());
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
