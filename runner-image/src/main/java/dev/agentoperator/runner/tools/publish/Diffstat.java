package dev.agentoperator.runner.tools.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.util.FileUtils;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * What a push would publish, for the person approving it: commits and changed lines of a branch
 * against the base it forked from, read from the workspace's objects in a private staging repository
 * (as {@link GitPushTool} reads them).
 */
final class Diffstat {

  private Diffstat() {}

  /** E.g. {@code 2 commits, 3 files changed, +10 -1 against master}; empty when unknown. */
  static String of(WorkspaceGit workspace, ObjectId base, ObjectId head, String baseName) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("git-diffstat-");
      try (Repository stage = workspace.stage(dir);
          RevWalk walk = new RevWalk(stage)) {
        RevCommit tip = walk.parseCommit(head);
        RevCommit fork = mergeBase(walk, walk.parseCommit(base), tip);
        if (fork == null) {
          return "";
        }
        int commits = 0;
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        walk.markStart(tip);
        walk.markUninteresting(fork);
        for (RevCommit ignored : walk) {
          commits++;
        }
        int files = 0;
        int added = 0;
        int removed = 0;
        try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
          diff.setRepository(stage);
          for (DiffEntry entry : diff.scan(fork.getTree(), tip.getTree())) {
            files++;
            for (Edit edit : diff.toFileHeader(entry).toEditList()) {
              added += edit.getLengthB();
              removed += edit.getLengthA();
            }
          }
        }
        return commits
            + (commits == 1 ? " commit, " : " commits, ")
            + files
            + (files == 1 ? " file" : " files")
            + " changed, +"
            + added
            + " -"
            + removed
            + " against "
            + baseName;
      }
    } catch (IOException | RuntimeException e) {
      return "";
    } finally {
      if (dir != null) {
        try {
          FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
        } catch (IOException e) {
          // a leftover directory in the runner's /tmp; harmless
        }
      }
    }
  }

  private static RevCommit mergeBase(RevWalk walk, RevCommit a, RevCommit b) throws IOException {
    walk.reset();
    walk.setRevFilter(RevFilter.MERGE_BASE);
    walk.markStart(a);
    walk.markStart(b);
    return walk.next();
  }
}
