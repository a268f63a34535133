package dev.agentoperator.runner.sandbox;

import dev.agentoperator.contract.runner.RunnerEnv;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code agent-runner install-executor DIR}: the init container that injects the tool executor into
 * the pod, the way Tekton injects its entrypoint, so that the {@code sandbox} container can use any
 * glibc image. Writes {@code DIR/jre} (the runtime in {@code $AGENT_EXECUTOR_RUNTIME}, else this
 * JVM's), {@code DIR/agent-runner.jar} and {@code DIR/bin/agent-executor}, the container's command.
 * Files are hard-linked where the filesystem allows (the local cluster) and copied otherwise.
 */
public final class InstallExecutorCommand {

  public static final String RUNTIME_ENV = RunnerEnv.EXECUTOR_RUNTIME;

  /** The sandbox container's command, relative to the install directory. */
  public static final String LAUNCHER = "bin/agent-executor";

  public static final String USAGE =
      """
      agent-runner install-executor DIR
        Copies the tool executor (runtime, jar, launcher DIR/bin/agent-executor) into DIR, an
        emptyDir the sandbox container mounts read-only. Runtime from $AGENT_EXECUTOR_RUNTIME.
      """;

  // umask 0002: the runner reads and restores the workspace through the pod's shared fsGroup, so
  // what the agent creates must stay group-writable. ${0%/*} instead of dirname: fewer binaries
  // the image must have.
  private static final String LAUNCHER_SCRIPT =
      """
      #!/bin/sh
      umask 0002
      here="${0%/*}/.."
      exec "$here/jre/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \\
        -Djava.io.tmpdir="${TMPDIR:-/tmp}" -jar "$here/agent-runner.jar" execute "$@"
      """;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public InstallExecutorCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public int execute(List<String> args) {
    if (args.size() != 1) {
      err.print(USAGE);
      return 2;
    }
    Path target = Path.of(args.getFirst());
    Path runtime = Path.of(env.getOrDefault(RUNTIME_ENV, System.getProperty("java.home")));
    try {
      Path jar = runningJar();
      clear(target);
      Files.createDirectories(target.resolve("bin"));
      mirror(runtime, target.resolve("jre"));
      linkOrCopy(jar, target.resolve("agent-runner.jar"));
      Path launcher = target.resolve(LAUNCHER);
      Files.writeString(launcher, LAUNCHER_SCRIPT, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("r-xr-xr-x"));
    } catch (IOException | IllegalStateException e) {
      err.println("agent-runner install-executor: " + e.getMessage());
      return 1;
    }
    out.println("tool executor installed in " + target + " (runtime from " + runtime + ")");
    return 0;
  }

  private static Path runningJar() {
    try {
      // This class ships in the runner's jar, so its code source is that jar; naming the entry
      // point here instead would make it and this command import each other.
      Path location =
          Path.of(
              InstallExecutorCommand.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      if (!Files.isRegularFile(location)) {
        throw new IllegalStateException(
            "the runner is not running from its jar (" + location + "), nothing to install");
      }
      return location;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the runner jar: " + e.getMessage(), e);
    }
  }

  private static void clear(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(target);
      return;
    }
    try (Stream<Path> entries = Files.list(target)) {
      for (Path entry : entries.toList()) {
        try (Stream<Path> tree = Files.walk(entry)) {
          for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
    }
  }

  private static void mirror(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path copy = to.resolve(from.relativize(file).toString());
            if (attrs.isSymbolicLink()) {
              Files.createSymbolicLink(copy, Files.readSymbolicLink(file));
            } else {
              linkOrCopy(file, copy);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void linkOrCopy(Path source, Path copy) throws IOException {
    try {
      Files.createLink(copy, source);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }
  }
}
