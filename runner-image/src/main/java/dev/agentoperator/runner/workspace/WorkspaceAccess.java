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
import java.util.Set;

/**
 * Whether the workspace can be written by both containers of the sandbox pod: the runner (its
 * uid, 1000) and the sandbox (another uid, 1001, that shares the runner's group through the pod's
 * {@code fsGroup}). Decided from the directory's owner, group and mode, not by trying as this
 * process: the sandbox's rights cannot be tried from here, and a root process could write anyway.
 *
 * <p>What this catches: a directory a container runtime created as root 0755 before the process
 * dropped its rights (a {@code WORKDIR} or {@code workingDir} inside the volume), a volume that
 * ignores {@code fsGroup}, or a workspace left 0755 by an older image.
 */
public record WorkspaceAccess(int runnerUid, Set<Integer> runnerGroups, int sandboxGid) {

  /** The sandbox's group when it is not the runner's own (the pod shares the runner's group). */
  public static final String SANDBOX_GID_ENV = RunnerEnv.SANDBOX_GID;

  public WorkspaceAccess {
    runnerGroups = Set.copyOf(runnerGroups);
  }

  /**
   * This process as the runner; the sandbox's group from {@link #SANDBOX_GID_ENV}, else this
   * process's group.
   */
  public static WorkspaceAccess ofThisProcess(Map<String, String> env) {
    com.sun.security.auth.module.UnixSystem self = new com.sun.security.auth.module.UnixSystem();
    Set<Integer> groups = new java.util.HashSet<>();
    groups.add((int) self.getGid());
    for (long group : Optional.ofNullable(self.getGroups()).orElse(new long[0])) {
      groups.add((int) group);
    }
    String sandboxGid = env.get(SANDBOX_GID_ENV);
    int sandbox;
    try {
      sandbox = sandboxGid == null ? (int) self.getGid() : Integer.parseInt(sandboxGid.trim());
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
    boolean sandbox = others || (gid == sandboxGid && group);
    if (runner && sandbox) {
      return;
    }
    String who =
        !runner && !sandbox
            ? "neither the runner (uid " + runnerUid + ") nor the sandbox (group " + sandboxGid + ")"
            : !runner
                ? "the runner (uid " + runnerUid + ")"
                : "the sandbox (group " + sandboxGid + ")";
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
            + " can write it. Both containers write the workspace: it must be owned by uid "
            + runnerUid
            + " or group "
            + sandboxGid
            + " with rwx for that group (the pod's fsGroup "
            + sandboxGid
            + " gives a fresh volume that group). A directory owned by root was usually made by the"
            + " container runtime (a WORKDIR or workingDir inside the volume) or the volume"
            + " ignores fsGroup; fix its owner or mode (chown "
            + runnerUid
            + ":"
            + sandboxGid
            + ", chmod 2775)");
  }

  private static boolean writable(
      Set<PosixFilePermission> mode, PosixFilePermission write, PosixFilePermission search) {
    return mode.contains(write) && mode.contains(search);
  }
}
