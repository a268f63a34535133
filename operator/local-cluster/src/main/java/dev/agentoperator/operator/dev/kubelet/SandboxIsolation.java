package dev.agentoperator.operator.dev.kubelet;

import java.util.Optional;

/**
 * How the host-process runtime runs what the agent chooses (the {@code sandbox} container's
 * commands), decided once when the local kubelet starts. Fail closed: without a working bubblewrap
 * the sandbox's executor is started refusing every tool call (and every MCP relay) with a text that
 * says how to get isolation, so no agent-chosen code runs with the user's rights; only {@link
 * Request#allowUnisolated()} ({@code dev --no-isolation}) runs tools unisolated. The podman runtime
 * isolates with real containers and does not ask this.
 */
public sealed interface SandboxIsolation {

  /** What to look for: the bubblewrap binary, and whether tools may run unisolated without it. */
  record Request(String bwrapBinary, boolean allowUnisolated) {

    /** bwrap from the PATH; without it, tools are refused. */
    public static Request defaults() {
      return new Request("bwrap", false);
    }
  }

  /** The sandbox in bubblewrap's namespaces. */
  record Isolated(Bubblewrap bubblewrap) implements SandboxIsolation {
    @Override
    public Optional<String> notice() {
      return Optional.empty();
    }
  }

  /** No isolation: the executor refuses every call with {@code reason}. */
  record Refused(String reason) implements SandboxIsolation {
    @Override
    public Optional<String> notice() {
      return Optional.of("tools are refused: " + reason);
    }
  }

  /** No isolation, and the user chose to run tools anyway. */
  record Unisolated(String problem) implements SandboxIsolation {
    @Override
    public Optional<String> notice() {
      return Optional.of("WARNING: --no-isolation: " + problem + "; tools run unisolated, as local"
          + " processes with your rights: the agent can read and change whatever you can, the"
          + " model key and the runner token included");
    }
  }

  /** One line for the user when the sandbox is not isolated; empty when it is. */
  Optional<String> notice();

  /** Tries bubblewrap once; without it, refuses tools unless the request allows them unisolated. */
  static SandboxIsolation choose(Request request) {
    Bubblewrap.Probe probe = Bubblewrap.probe(request.bwrapBinary());
    if (probe.bubblewrap().isPresent()) {
      return new Isolated(probe.bubblewrap().get());
    }
    if (request.allowUnisolated()) {
      return new Unisolated(probe.problem());
    }
    return new Refused("no isolation for the agent's sandbox on this machine (" + probe.problem()
        + "). Install bubblewrap (apt-get install bubblewrap) or run dev with --runtime podman;"
        + " dev --no-isolation runs tools unisolated, with your rights");
  }
}
