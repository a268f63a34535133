package dev.agentoperator.operator.dev.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an untrusted container (the sandbox pod's {@code sandbox} container) the way a container
 * runtime would, with bubblewrap: new PID, IPC, UTS and network namespaces; a root made of the
 * image (this machine's {@code /usr} read-only, or a directory standing in for a stock image) and
 * the container's volume mounts at their container paths; a fresh {@code /proc} that shows only
 * the container's own processes. Under root the process runs as a uid of its own ({@link
 * #HOST_ID_OFFSET} + the container's), nobody in particular on this machine; otherwise a user
 * namespace maps this user to the container's uid.
 *
 * <p>The network namespace is empty (loopback only): the local cluster's API server takes no
 * credentials, so a sandbox that could reach it could write its own approvals. A real pod shares
 * the pod network, where RBAC and the runner's token guard the same doors.
 */
public final class Bubblewrap {

  private static final Logger LOG = LoggerFactory.getLogger(Bubblewrap.class);

  /** Host uids and gids of sandboxed containers under root: 100000 + the container's id. */
  static final long HOST_ID_OFFSET = 100_000L;

  // The image's system part when the image is this machine's: programs and libraries, and the few
  // files of /etc that programs need (never all of /etc).
  private static final List<String> SYSTEM =
      List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64");
  private static final List<String> SYSTEM_ETC =
      List.of(
          "/etc/alternatives",
          "/etc/ssl",
          "/etc/ca-certificates",
          "/etc/hosts",
          "/etc/nsswitch.conf",
          "/etc/ld.so.cache",
          "/etc/ld.so.conf",
          "/etc/ld.so.conf.d",
          "/etc/passwd",
          "/etc/group",
          "/etc/localtime",
          "/etc/gitconfig",
          "/etc/mime.types");

  // Inside the sandbox, so from the image's /usr (this machine's).
  private static final String SETPRIV = "/usr/bin/setpriv";

  private final Path bwrap;
  private final boolean root;

  private Bubblewrap(Path bwrap, boolean root) {
    this.bwrap = bwrap;
    this.root = root;
  }

  /** bubblewrap, when it is installed and can create namespaces here; empty otherwise. */
  public static Optional<Bubblewrap> detect() {
    return probe("bwrap").bubblewrap();
  }

  /**
   * What bubblewrap can do here: {@code binary} (a name looked up on the PATH, or a path) run once
   * the way a sandbox would be; empty with the reason when it is missing or cannot run.
   */
  static Probe probe(String binary) {
    Optional<Path> found = binary.contains("/")
        ? Optional.of(Path.of(binary)).filter(Files::isExecutable)
        : Executables.onPath(binary);
    if (found.isEmpty()) {
      return Probe.failed(binary.contains("/")
          ? "bwrap " + binary + " is not an executable file"
          : "bwrap (bubblewrap) is not installed: no " + binary + " on the PATH");
    }
    Bubblewrap candidate = new Bubblewrap(found.get(), isRoot());
    if (candidate.root && !Files.isExecutable(Path.of(SETPRIV))) {
      return Probe.failed("bwrap is installed but " + SETPRIV
          + " is missing: it cannot leave uid 0 for sandboxed containers");
    }
    List<String> probe = candidate.command(
        new Sandboxed(null, List.of(), "/", 1001, 1000, "probe", List.of("/bin/sh", "-c", "true")));
    try {
      Process process = new ProcessBuilder(probe).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
        return new Probe(Optional.of(candidate), "");
      }
      process.destroyForcibly();
      return Probe.failed("bwrap " + found.get() + " cannot create namespaces on this machine"
          + " (a test sandbox " + (process.isAlive() ? "timed out" : "exited "
          + process.exitValue()) + ")");
    } catch (IOException e) {
      return Probe.failed("bwrap " + found.get() + " cannot start: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Probe.failed("interrupted while trying bwrap");
    }
  }

  /** A working bubblewrap, or why there is none. */
  record Probe(Optional<Bubblewrap> bubblewrap, String problem) {
    static Probe failed(String problem) {
      LOG.warn("{}", problem);
      return new Probe(Optional.empty(), problem);
    }
  }

  /** A container to run isolated. */
  record Sandboxed(
      Path imageRoot,
      List<MountTable.Mount> mounts,
      String workingDir,
      long uid,
      long gid,
      String hostname,
      List<String> command) {}

  /**
   * The command line that runs {@code container} isolated; its env is the process's own. Under
   * root, bubblewrap builds the namespaces with root's rights (so it reaches volume directories
   * below private ones, such as a temp dir) and the container's process becomes its own uid
   * through {@code setpriv}, with no capabilities and no way to gain any (no_new_privs, empty
   * bounding set). Otherwise an unprivileged user namespace maps this user to the container's uid.
   */
  List<String> command(Sandboxed container) {
    List<String> argv = new ArrayList<>();
    argv.add(bwrap.toString());
    argv.addAll(List.of("--die-with-parent", "--new-session",
        "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try",
        "--hostname", container.hostname()));
    if (!root) {
      argv.addAll(List.of("--unshare-user",
          "--uid", Long.toString(container.uid()), "--gid", Long.toString(container.gid())));
    }
    Map<String, Path> image = imageEntries(container.imageRoot());
    // Directories bubblewrap creates on the way (/etc of /etc/gitconfig, /data of /data/workspace)
    // would be 0700 root's: the sandbox uid could not reach what is below them.
    Set<String> made = new HashSet<>(image.keySet());
    made.addAll(List.of("/", "/proc", "/dev", "/tmp"));
    for (String path : image.keySet()) {
      openParents(argv, path, made);
    }
    for (Map.Entry<String, Path> entry : image.entrySet()) {
      Path source = entry.getValue();
      if (Files.isSymbolicLink(source)) {
        argv.addAll(List.of("--symlink", readLink(source), entry.getKey()));
      } else {
        argv.addAll(List.of("--ro-bind", source.toString(), entry.getKey()));
      }
    }
    argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"));
    for (MountTable.Mount mount : container.mounts()) {
      openParents(argv, mount.path(), made);
      argv.addAll(List.of(mount.readOnly() ? "--ro-bind" : "--bind",
          mount.dir().toString(), mount.path()));
      made.add(mount.path());
    }
    argv.addAll(List.of("--chdir", container.workingDir(), "--"));
    if (root) {
      argv.addAll(List.of(SETPRIV,
          "--reuid=" + (HOST_ID_OFFSET + container.uid()),
          "--regid=" + (HOST_ID_OFFSET + container.gid()),
          "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"));
    }
    argv.addAll(container.command());
    return argv;
  }

  private static void openParents(List<String> argv, String path, Set<String> made) {
    for (String parent : parents(path)) {
      if (made.add(parent)) {
        argv.addAll(List.of("--perms", "0755", "--dir", parent));
      }
    }
  }

  /** {@code /a/b/c} gives {@code /a}, {@code /a/b}. */
  private static List<String> parents(String path) {
    List<String> parents = new ArrayList<>();
    int slash = path.indexOf('/', 1);
    while (slash > 0) {
      parents.add(path.substring(0, slash));
      slash = path.indexOf('/', slash + 1);
    }
    return parents;
  }

  /**
   * Container path to host path of the image: this machine's system directories, then, for a
   * stand-in stock image, each top-level entry of its directory in place of the system's.
   */
  private static Map<String, Path> imageEntries(Path imageRoot) {
    Map<String, Path> entries = new LinkedHashMap<>();
    for (String path : SYSTEM) {
      if (Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
        entries.put(path, Path.of(path));
      }
    }
    if (imageRoot != null) {
      try (Stream<Path> own = Files.list(imageRoot)) {
        own.sorted().forEach(entry -> entries.put("/" + entry.getFileName(), entry));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read image directory " + imageRoot, e);
      }
    }
    for (String path : SYSTEM_ETC) {
      if (!entries.containsKey("/etc") && Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
        entries.put(path, Path.of(path));
      }
    }
    return entries;
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read link " + link, e);
    }
  }

  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
