package dev.agentoperator.operator.dev.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner jar's AppCDS archive in the local cluster, built the way the image builds its own
 * (the image's {@code train-class-archive.sh}, on this JVM's {@code java}), once per jar checksum
 * and JDK, in the background: runner JVMs launched before it exists start without it. It lives
 * beside the jar, so whoever may change it could change the jar already. The JVM checks the
 * archive against the jar and itself, and with {@code -Xshare:auto} one it cannot use only makes
 * the start slower: a pod never fails because of it.
 */
public final class RunnerClassArchive {

  private static final Logger LOG = LoggerFactory.getLogger(RunnerClassArchive.class);

  /** Where the training script sits relative to the jar in {@code runner-image/target}. */
  private static final Path SCRIPT =
      Path.of("..", "src", "main", "docker", "train-class-archive.sh");

  private static final long TRAINING_MINUTES = 5;

  private final Path jar;
  private final Path javaHome;
  private final CompletableFuture<Optional<Path>> archive = new CompletableFuture<>();

  private RunnerClassArchive(Path jar, Path javaHome) {
    this.jar = jar.toAbsolutePath();
    this.javaHome = javaHome;
  }

  /** Starts finding or building the archive of {@code jar} for this JVM's runtime. */
  public static RunnerClassArchive startFor(Path jar) {
    RunnerClassArchive built =
        new RunnerClassArchive(jar, Path.of(System.getProperty("java.home")));
    Thread.ofPlatform().daemon().name("runner-class-archive").start(built::findOrBuild);
    return built;
  }

  /**
   * The JVM options that map the archive, once it exists; none before, or if it cannot be built.
   * With {@code -Xshare:auto} (the JVM's default) an archive it rejects means no sharing;
   * {@code -Xlog:cds=off} keeps the rejection out of the container's log.
   */
  List<String> jvmOptions() {
    return archive.getNow(Optional.empty())
        .map(path -> List.of("-XX:SharedArchiveFile=" + path, "-Xlog:cds=off"))
        .orElse(List.of());
  }

  /** Waits until the archive is there or known not to be, e.g. before measuring starts with it. */
  public Optional<Path> await() {
    return archive.join();
  }

  private void findOrBuild() {
    Optional<Path> result = Optional.empty();
    try {
      result = findOrBuildArchive();
    } catch (IOException | RuntimeException e) {
      LOG.info("runner JVMs start without a class archive: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      archive.complete(result);
    }
  }

  private Optional<Path> findOrBuildArchive() throws IOException, InterruptedException {
    String jarName = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    Path target = jar.resolveSibling(jarName + "." + checksum() + ".jdk-"
        + Runtime.version().toString().replaceAll("[^A-Za-z0-9.]", "_") + ".jsa");
    if (Files.isRegularFile(target)) {
      return Optional.of(target);
    }
    Path script = jar.getParent().resolve(SCRIPT).normalize();
    if (!Files.isRegularFile(script)) {
      LOG.info("runner JVMs start without a class archive: no {} beside the runner jar", script);
      return Optional.empty();
    }
    Path log = target.resolveSibling(jarName + ".jsa.log");
    // The script renames the archive into place only once it is whole and usable.
    ProcessBuilder training = new ProcessBuilder("sh", script.toString(), jar.toString(),
        target.toString());
    training.environment().put("PATH",
        javaHome.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    training.environment().put("AGENT_TRAINING_PORT", String.valueOf(freePort()));
    training.environment().remove("JAVA_TOOL_OPTIONS");
    training.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process = training.start();
    if (!process.waitFor(TRAINING_MINUTES, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IOException("the class archive's training took over " + TRAINING_MINUTES
          + " minutes (" + log + ")");
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(target)) {
      throw new IOException("the class archive's training failed (" + log + ")");
    }
    removeOlderArchives(jarName, target);
    LOG.info("runner class archive {} built", target);
    return Optional.of(target);
  }

  /** Archives of earlier builds of the jar: 30-odd MB each, and no JVM can use them any more. */
  private void removeOlderArchives(String jarName, Path kept) throws IOException {
    try (DirectoryStream<Path> archives = Files.newDirectoryStream(jar.getParent(),
        jarName + ".*.jsa")) {
      for (Path old : archives) {
        if (!old.equals(kept)) {
          Files.deleteIfExists(old);
        }
      }
    }
  }

  private String checksum() throws IOException {
    try (InputStream in = Files.newInputStream(jar)) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha256.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
