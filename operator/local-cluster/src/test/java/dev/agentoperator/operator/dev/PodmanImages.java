package dev.agentoperator.operator.dev;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What the end-to-end classes need of podman on {@code --runtime podman}: podman itself, root, and
 * the project's runner image in the local storage (built by {@code ./mvnw -B -DskipTests -Pimages
 * package}). Missing, the classes are skipped with the reason, except in CI ({@code CI=true}),
 * where they fail: CI builds the images first and must run these tests.
 */
public final class PodmanImages {

  private PodmanImages() {}

  /** Skips (or, in CI, fails) the calling class unless podman can run {@code runnerImage}. */
  public static void require(String runnerImage) {
    String missing = missing(runnerImage);
    if (missing == null) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("CI runs the podman tier: " + missing);
    }
    Assumptions.abort("--runtime podman is not available here: " + missing);
  }

  private static String missing(String runnerImage) {
    try {
      if (run("podman", "--version").exit() != 0) {
        return "podman does not run (apt-get install podman runc)";
      }
    } catch (IOException e) {
      return "podman is not installed (apt-get install podman runc)";
    }
    if (!"0".equals(runQuietly("id", "-u").strip())) {
      return "podman's root containers need root";
    }
    if (runQuietly("podman", "image", "exists", runnerImage).equals("exit 1")) {
      return "image " + runnerImage + " is not in the local podman storage (build it: ./mvnw -B"
          + " -DskipTests -Pimages package)";
    }
    return null;
  }

  /**
   * A stand-in for a stock image on podman: the runner image's system (a plain glibc image for the
   * sandbox; the executor brings its own runtime anyway) with the stand-in directory's top-level
   * entries under {@code /opt/stand-in} and its {@code bin} last on the PATH, so its marker
   * commands run and the image's own tools stay the image's.
   */
  static void buildStandIn(String image, Path directory, String runnerImage) throws IOException {
    Path context = Files.createTempDirectory("stand-in-image");
    Path files = Files.createDirectories(context.resolve("stand-in"));
    try (var entries = Files.list(directory)) {
      for (Path entry : entries.toList()) {
        copyTree(entry, files.resolve(entry.getFileName().toString()));
      }
    }
    Files.writeString(context.resolve("Containerfile"), "FROM " + runnerImage + "\n"
        + "COPY stand-in/ /opt/stand-in/\n"
        + "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/stand-in/bin\n"
        + "USER 65534\n");
    Result built = run("podman", "build", "--pull=never", "--quiet", "--tag",
        "localhost/" + image, context.toString());
    if (built.exit() != 0) {
      fail("could not build the stand-in image " + image + ": " + built.output());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (Files.isDirectory(from)) {
      Files.createDirectories(to);
      try (var entries = Files.list(from)) {
        for (Path entry : entries.toList()) {
          copyTree(entry, to.resolve(entry.getFileName().toString()));
        }
      }
    } else {
      Files.copy(from, to);
    }
  }

  private record Result(int exit, String output) {}

  private static String runQuietly(String... argv) {
    try {
      Result result = run(argv);
      return result.exit() == 0 ? result.output() : "exit " + result.exit();
    } catch (IOException e) {
      return "exit -1";
    }
  }

  private static Result run(String... argv) throws IOException {
    List<String> command = new ArrayList<>(List.of(argv));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
