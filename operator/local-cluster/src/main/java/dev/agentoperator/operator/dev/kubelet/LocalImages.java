package dev.agentoperator.operator.dev.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps container images to local commands, since the local cluster pulls no images. The runner
 * image (the operator's configured one, or any whose name contains {@code agent-runner}) runs its
 * {@code agent-runner} binary as {@code java -jar <runner jar>}, and any other command of it with
 * this machine's {@code /usr} as the image; a stand-in for a stock image is a directory whose
 * top-level entries ({@code bin/}, ...) replace the machine's in the container's root.
 */
public final class LocalImages {

  /** The name a container's command uses for the runner binary. */
  static final String RUNNER_BINARY = "agent-runner";

  private final Map<String, LocalImage> exact = new LinkedHashMap<>();
  private LocalImage runner;
  private final RunnerClassArchive classArchive;

  private LocalImages(LocalImage runner, RunnerClassArchive classArchive) {
    this.runner = runner;
    this.classArchive = classArchive;
  }

  /**
   * Runs runner images with {@code runnerJar} on this JVM's {@code java}, with the jar's class
   * archive once it is built (as the image's launcher maps its own).
   */
  public static LocalImages withRunnerJar(String runnerImage, Path runnerJar) {
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A short-lived runner gains nothing from C2 or a parallel collector on a small machine.
    java.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    java.addAll(List.of("-jar", runnerJar.toAbsolutePath().toString()));
    LocalImages images = new LocalImages(
        new LocalImage(List.copyOf(java), RUNNER_BINARY, null, Map.of()),
        RunnerClassArchive.startFor(runnerJar));
    images.exact.put(runnerImage, images.runner);
    return images;
  }

  /**
   * Starts every runner process (the runner binary of the runner image) with these variables, under
   * the container's own env; other commands of the image, such as the sandbox's, get none of them.
   */
  public LocalImages withRunnerEnv(Map<String, String> env) {
    LocalImage configured = new LocalImage(runner.entrypoint(), runner.binary(), runner.root(),
        Map.copyOf(env));
    exact.replaceAll((name, image) -> image == runner ? configured : image);
    runner = configured;
    return this;
  }

  /**
   * Adds an image whose entrypoint runs as a host process with the container's paths rewritten (e.g.
   * {@code /bin/sh -c}), for tests of the runtime itself; not isolated.
   */
  public LocalImages with(String image, List<String> entrypoint) {
    exact.put(image, new LocalImage(List.copyOf(entrypoint), null, null, Map.of()));
    return this;
  }

  /**
   * Adds a stand-in for a stock image (e.g. {@code python:3.12-slim}): containers of it run their
   * own command, isolated, with {@code root}'s top-level entries over this machine's system dirs.
   */
  public LocalImages withImageDirectory(String image, Path root) {
    exact.put(image, new LocalImage(List.of(), null, root.toAbsolutePath(), Map.of()));
    return this;
  }

  /**
   * The local command line of a container: the image's entrypoint, then the container's command
   * and args; empty when the image has no local equivalent.
   */
  Optional<LocalCommand> commandLine(Container container) {
    LocalImage image = exact.get(container.getImage());
    if (image == null && container.getImage() != null
        && container.getImage().contains(RUNNER_BINARY)) {
      image = runner;
    }
    if (image == null) {
      return Optional.empty();
    }
    List<String> command = container.getCommand() == null ? List.of() : container.getCommand();
    List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
    List<String> executable = new ArrayList<>();
    List<String> arguments = new ArrayList<>();
    if (command.isEmpty()) {
      executable.addAll(entrypoint(image));
    } else if (image.binary() != null && isBinary(command.getFirst(), image.binary())) {
      executable.addAll(entrypoint(image));
      arguments.addAll(command.subList(1, command.size()));
    } else {
      arguments.addAll(command);
    }
    arguments.addAll(args);
    return Optional.of(new LocalCommand(List.copyOf(executable), List.copyOf(arguments),
        image.root(), executable.isEmpty() ? Map.of() : image.env()));
  }

  /**
   * A container's command on this machine: {@code executable} comes from the image mapping and is
   * used as it is (empty when the container runs a command of its image); {@code arguments} come
   * from the pod and name container paths; {@code imageRoot} is the stand-in image's directory, or
   * null for this machine's system; {@code baseEnv} goes under the container's own env (the
   * runner's settings, for the runner binary only).
   */
  record LocalCommand(List<String> executable, List<String> arguments, Path imageRoot,
      Map<String, String> baseEnv) {

    /** Our runner binary is trusted code; any other command is the image's own, so untrusted. */
    boolean runsImageCommand() {
      return executable.isEmpty();
    }
  }

  /** The image's entrypoint; the runner's with the class archive's options after {@code java}. */
  private List<String> entrypoint(LocalImage image) {
    List<String> archive = image == runner ? classArchive.jvmOptions() : List.of();
    if (archive.isEmpty()) {
      return image.entrypoint();
    }
    List<String> entrypoint = new ArrayList<>(image.entrypoint());
    entrypoint.addAll(1, archive);
    return entrypoint;
  }

  private static boolean isBinary(String executable, String binary) {
    return executable.equals(binary) || executable.endsWith("/" + binary);
  }

  private record LocalImage(List<String> entrypoint, String binary, Path root,
      Map<String, String> env) {}
}
