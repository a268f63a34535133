package dev.agentoperator.operator.dev.kubelet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the README's one command work on a fresh Debian or Ubuntu machine: when bubblewrap is
 * missing and this process may install packages (root, with apt-get), {@code dev} installs it
 * before the kubelet decides how to isolate the sandbox. Otherwise nothing happens here, and the
 * kubelet refuses tools with a message saying how to get isolation.
 */
public final class BubblewrapInstaller {

  private static final String BWRAP = "bwrap";

  private BubblewrapInstaller() {}

  /**
   * Installs Debian's {@code bubblewrap} when {@code binary} is the default {@code bwrap}, not on
   * the PATH, and apt-get runs as root here; says what it does on {@code out}.
   */
  public static void installIfMissing(String binary, PrintStream out) throws InterruptedException {
    if (!BWRAP.equals(binary) || Executables.onPath(BWRAP).isPresent() || !Bubblewrap.isRoot()
        || Executables.onPath("apt-get").isEmpty()) {
      return;
    }
    out.println("bwrap (bubblewrap) is missing: installing it to isolate the agent's sandbox"
        + " (apt-get install -y bubblewrap)");
    boolean installed = aptGet(out, "install", "-y", "-q", "bubblewrap")
        || (aptGet(out, "update", "-q") && aptGet(out, "install", "-y", "-q", "bubblewrap"));
    out.println(installed && Executables.onPath(BWRAP).isPresent()
        ? "bubblewrap installed"
        : "could not install bubblewrap: tools will be refused (see below)");
  }

  private static boolean aptGet(PrintStream out, String... args) throws InterruptedException {
    List<String> command = new ArrayList<>(List.of("apt-get"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return false;
      }
      if (process.exitValue() != 0) {
        out.print(output);
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      out.println("apt-get cannot start: " + e.getMessage());
      return false;
    }
  }
}
