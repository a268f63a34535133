package dev.agentoperator.runner.workspace;

import dev.agentoperator.contract.runner.RunnerEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Whether the workspace can be written by both containers of the sandbox pod: the runner (its
 * uid, 1000) and the sandbox (another uid, 1001, that shares a group with it through the pod's
 * {@code fsGroup}). Decided from the directory's owner, group and mode, not by trying as this
 * process: the sandbox's rights cannot be tried from here, and a root process could write anyway.
 * The sandbox writes through the directory's group, so that group needs rwx; which group it is
 * is checked only when {@code sandboxGid} is known ({@value #SANDBOX_GID_ENV}): the volume's group
 * is the pod's fsGroup on a cluster, but a local runtime may map it to another id.
 *
 * <p>What this catches: a directory a container runtime created as root 0755 before the process
 * dropped its rights (a {@code WORKDIR} or {@code workingDir} inside the volume), a volume that
 * ignores {@code fsGroup}, or a workspace left 0755 by an older image.
 */
public record WorkspaceAccess(int runnerUid, Set<Integer> runnerGroups, OptionalInt sandboxGid) {

  /** The sandbox's group, when known; unset, any group of the directory with rwx will do. */
  public static final String SANDBOX_GID_ENV = RunnerEnv.SANDBOX_GID;

  public WorkspaceAccess {
    runnerGroups = Set.copyOf(runnerGroups);
  }

  /** This process as the runner; the sandbox's group from {@link #SANDBOX_GID_ENV}, if set. */
  public static WorkspaceAccess ofThisProcess(Map<String, String> env) {
    com.sun.security.auth.module.UnixSystem self = new com.sun.security.auth.module.UnixSystem();
    Set<Integer> groups = new java.util.HashSet<>();
    groups.add((int) self.getGid());
    for (long group : Optional.ofNullable(self.getGroups()).orElse(new long[0])) {
      groups.add((int) group);
    }
    String sandboxGid = env.get(SANDBOX_GID_ENV);
    OptionalInt sandbox;
    try {
      sandbox =
          sandboxGid == null || sandboxGid.isBlank()
              ? OptionalInt.empty()
              : OptionalInt.of(Integer.parseInt(sandboxGid.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(SANDBOX_GID_ENV + " must be a group id, not '" + sandboxGid + "'");
    }
    return new WorkspaceAccess((int) self.getUid(), groups, sandbox);
  }

  /**
   * Throws with the reason (owner, group, mode, who cannot write, the usual cause) when the
   * runner or the sandbox's group cannot create files in {@code workspace}.
   */
  public void requireWritableByBoth(Path workspace) {
    int uid;
    int gid;
    Set<PosixFilePermission> mode;
    try {
      uid = (Integer) Files.getAttribute(workspace, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      gid = (Integer) Files.getAttribute(workspace, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      mode = Files.getPosixFilePermissions(workspace, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      throw new WorkspaceInitException("cannot read the owner and mode of " + workspace + ": " + e);
    }
    boolean others = writable(mode, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    boolean group = writable(mode, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);
    boolean runner =
        others
            || (uid == runnerUid
                && writable(mode, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))
            || (runnerGroups.contains(gid) && group);
    boolean sandbox =
        others || (group && (sandboxGid.isEmpty() || sandboxGid.getAsInt() == gid));
    if (runner && sandbox) {
      return;
    }
    String sandboxGroup =
        sandboxGid.isPresent() ? "group " + sandboxGid.getAsInt() : "the directory's group";
    String who =
        !runner && !sandbox
            ? "neither the runner (uid " + runnerUid + ") nor the sandbox (" + sandboxGroup + ") can"
            : !runner
                ? "the runner (uid " + runnerUid + ") cannot"
                : "the sandbox (" + sandboxGroup + ") cannot";
    String shared = sandboxGid.isPresent() ? "group " + sandboxGid.getAsInt() : "the pod's fsGroup";
    throw new WorkspaceInitException(
        "the workspace "
            + workspace
            + " is owned by uid "
            + uid
            + ", gid "
            + gid
            + " with mode "
            + PosixFilePermissions.toString(mode)
            + ": "
            + who
            + " write it. Both containers write the workspace: it must be owned by uid "
            + runnerUid
            + " and give rwx to the group the sandbox shares ("
            + shared
            + "). A directory owned by root was usually made by the"
            + " container runtime (a WORKDIR or workingDir inside the volume), or the volume"
            + " ignores fsGroup; fix its owner or mode (chown "
            + runnerUid
            + ", chmod 2775)");
  }

  private static boolean writable(
      Set<PosixFilePermission> mode, PosixFilePermission write, PosixFilePermission search) {
    return mode.contains(write) && mode.contains(search);
  }
}
