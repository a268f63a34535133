package dev.agentoperator.operator.dev;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Starts one container as a local process: its image mapped to a command, its env resolved, its
 * container paths rewritten to host directories, its output appended to the pod's log file and
 * echoed to a {@link LogSink}.
 */
final class ContainerLauncher {

  /** {@code 0.0.0.0:PORT} means "all interfaces" in a pod; locally, the pod's own address. */
  private static final Pattern BIND_ALL = Pattern.compile("^0\\.0\\.0\\.0:([0-9]+)$");

  private final LocalImages images;
  private final ContainerEnv env;
  private final LocalStorage storage;
  private final LogSink sink;

  ContainerLauncher(LocalImages images, ContainerEnv env, LocalStorage storage, LogSink sink) {
    this.images = images;
    this.env = env;
    this.storage = storage;
    this.sink = sink;
  }

  ProcessTree start(Pod pod, Container container, Map<String, Path> volumeDirs, String podIp)
      throws PodNotStartable, IOException {
    LocalImages.LocalCommand local =
        images.commandLine(container)
            .orElseThrow(() -> new PodNotStartable("ErrImageNeverPull",
                "image " + container.getImage() + " has no local equivalent (the local cluster"
                    + " runs only the runner image, as the runner jar)"));
    MountTable mounts = MountTable.of(container, volumeDirs);
    Path podDir = storage.podDir(pod);
    Path tmp = mounts.hostDir("/tmp").orElse(podDir.resolve("tmp"));
    Path home = podDir.resolve("home");
    Files.createDirectories(tmp);
    Files.createDirectories(home);

    List<String> command = new ArrayList<>(local.executable());
    if (!command.isEmpty() && command.getFirst().endsWith("/java")) {
      command.add(1, "-Djava.io.tmpdir=" + tmp);
    }
    for (String argument : local.arguments()) {
      command.add(mounts.rewrite(argument));
    }
    if (command.isEmpty()) {
      throw new PodNotStartable("RunContainerError",
          "container " + container.getName() + " has no command and its image no entrypoint");
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> processEnv = builder.environment();
    processEnv.clear();
    processEnv.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    processEnv.put("LANG", "C.UTF-8");
    processEnv.put("HOME", home.toString());
    processEnv.put("TMPDIR", tmp.toString());
    processEnv.put("HOSTNAME", pod.getMetadata().getName());
    env.resolve(pod, container, podIp)
        .forEach((name, value) -> processEnv.put(name, localValue(value, mounts, podIp)));
    String workingDir = container.getWorkingDir();
    builder.directory(
        workingDir == null ? podDir.toFile() : Path.of(mounts.rewrite(workingDir)).toFile());
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));

    Path log = storage.logFile(pod, container.getName());
    Files.createDirectories(log.getParent());
    Process process = builder.start();
    String podName = pod.getMetadata().getName();
    Thread.ofVirtual()
        .name("logs-" + podName + "-" + container.getName())
        .start(() -> pump(process, log, podName, container.getName()));
    return new ProcessTree(process);
  }

  private static String localValue(String value, MountTable mounts, String podIp) {
    var bindAll = BIND_ALL.matcher(value);
    if (bindAll.matches()) {
      return podIp + ":" + bindAll.group(1);
    }
    return mounts.rewrite(value);
  }

  private void pump(Process process, Path log, String pod, String container) {
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        sink.line(pod, container, line);
      }
    } catch (IOException e) {
      // the process went away with its pipe; its exit is reported by the pod
    }
  }
}
