package dev.agentoperator.operator.dev.kubelet;

import java.util.Arrays;
import java.util.Locale;

/** The container runtimes of the local kubelet, as {@code dev --runtime} names them. */
public enum RuntimeKind {
  /** Host processes; the untrusted containers under bubblewrap (the default where it works). */
  BWRAP,
  /** Real OCI containers from the local podman storage, one podman pod per pod. */
  PODMAN;

  /** {@code bwrap} or {@code podman}. */
  public static RuntimeKind parse(String name) {
    return Arrays.stream(values())
        .filter(kind -> kind.flag().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "unknown runtime " + name + " (bwrap or podman)"));
  }

  /** The name on the command line. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
