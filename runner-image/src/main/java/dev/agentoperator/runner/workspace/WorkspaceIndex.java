package dev.agentoperator.runner.workspace;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.filter.NotIgnoredFilter;
import org.eclipse.jgit.util.FS;

/**
 * Brings the persistent index of the snapshot git dir in line with the workspace, like {@code git
 * add --all}, but leaving out files over the size cap and ignored files even if they were in an
 * earlier snapshot.
 *
 * <p>An unchanged file costs one {@code lstat}: its index entry is kept when size, mode and
 * modification time match. Only new files, changed files and files whose time changed (or whose
 * entry git smudged as racily clean) are read and hashed, so the cost grows with what changed.
 */
final class WorkspaceIndex {

  /** What one synchronisation did. */
  record SyncResult(List<SkippedFile> skippedForSize, List<String> unreadable, int filesHashed) {}

  /** Opens a workspace file's content; tests inject failures the JVM cannot produce as root. */
  interface ContentOpener {
    ContentOpener DIRECT = WorkingTreeIterator::openEntryStream;

    InputStream open(WorkingTreeIterator file) throws IOException;
  }

  private final Repository repository;
  private final long maxFileBytes;
  private final ContentOpener opener;

  WorkspaceIndex(Repository repository, long maxFileBytes) {
    this(repository, maxFileBytes, ContentOpener.DIRECT);
  }

  WorkspaceIndex(Repository repository, long maxFileBytes, ContentOpener opener) {
    this.repository = repository;
    this.maxFileBytes = maxFileBytes;
    this.opener = opener;
  }

  /**
   * A working tree iterator that descends into nested repositories instead of recording links, and
   * marks special files (named pipes, sockets, devices) as missing.
   */
  static FileTreeIterator workTree(Repository repository) {
    return new FileTreeIterator(repository, WorkspaceIndex::fileMode);
  }

  private static FileMode fileMode(File file, FS.Attributes attributes) {
    if (!attributes.isRegularFile() && !attributes.isDirectory() && !attributes.isSymbolicLink()) {
      // git cannot store them, and reading a named pipe would block the snapshot forever.
      return FileMode.MISSING;
    }
    // A nested clone would otherwise become a gitlink pointing at a commit we do not store, and
    // restoring the snapshot could not bring its files back.
    return FileTreeIterator.NoGitlinksStrategy.INSTANCE.getMode(file, attributes);
  }

  /**
   * Rewrites the index from the workspace, stores new contents, and writes the index; the caller
   * has locked {@code index}.
   */
  SyncResult sync(DirCache index, ObjectInserter inserter) throws IOException {
    SyncResult result;
    try (BlobWriter blobs = BlobWriter.storing(repository, inserter)) {
      result = update(index, blobs);
    }
    index.write();
    if (!index.commit()) {
      throw new IOException("could not replace the index of " + repository.getDirectory());
    }
    return result;
  }

  /**
   * Rewrites the index in memory only, with ids of contents that are not stored: enough to compare
   * the workspace with a tree, never to be written or committed.
   */
  SyncResult syncInMemory(DirCache index) throws IOException {
    try (BlobWriter blobs = BlobWriter.hashingOnly(repository)) {
      return update(index, blobs);
    }
  }

  private SyncResult update(DirCache index, BlobWriter blobs) throws IOException {
    List<SkippedFile> skipped = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    int hashed = 0;
    DirCacheBuilder builder = index.builder();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.setRecursive(true);
      int indexTree = walk.addTree(new DirCacheIterator(index));
      int workTree = walk.addTree(workTree(repository));
      walk.setFilter(new NotIgnoredFilter(workTree));
      while (walk.next()) {
        WorkingTreeIterator file = walk.getTree(workTree, WorkingTreeIterator.class);
        if (file == null
            || file.getEntryFileMode() == FileMode.TREE
            || file.getEntryFileMode() == FileMode.MISSING) {
          continue; // deleted, an empty directory, or a special file: nothing git can record
        }
        if (file.getEntryLength() > maxFileBytes) {
          skipped.add(new SkippedFile(walk.getPathString(), file.getEntryLength()));
          continue;
        }
        DirCacheIterator cached = walk.getTree(indexTree, DirCacheIterator.class);
        DirCacheEntry entry = cached == null ? null : cached.getDirCacheEntry();
        FileMode mode = file.getIndexFileMode(cached);
        try {
          Freshness freshness = freshness(entry, file, mode);
          if (freshness != Freshness.STAT_EQUAL) {
            hashed++;
          }
          builder.add(freshness == Freshness.CHANGED ? newEntry(walk, file, mode, blobs) : entry);
        } catch (FileNotFoundException | NoSuchFileException e) {
          // Deleted between listing and reading (a background process of the agent's): it is
          // gone now, so the snapshot leaves it out rather than failing.
        } catch (AccessDeniedException e) {
          if (!isWorkspaceFile(e, walk.getPathString())) {
            throw e; // the snapshot git dir itself: a real failure
          }
          // A file the runner may not read (another uid's mode 000 file): the snapshot keeps
          // its last stored content, if any, and reports it instead of failing.
          unreadable.add(walk.getPathString());
          if (entry != null) {
            builder.add(entry);
          }
        }
      }
      blobs.flush();
    }
    builder.finish();
    return new SyncResult(List.copyOf(skipped), List.copyOf(unreadable), hashed);
  }

  private boolean isWorkspaceFile(AccessDeniedException e, String relative) {
    return e.getFile() != null
        && Path.of(e.getFile()).toAbsolutePath().normalize()
            .equals(repository.getWorkTree().toPath().resolve(relative).toAbsolutePath().normalize());
  }

  private enum Freshness {
    STAT_EQUAL,
    CONTENT_EQUAL,
    CHANGED
  }

  /** Compares by stat data first; reads the file only when the stat data cannot decide. */
  private static Freshness freshness(DirCacheEntry entry, WorkingTreeIterator file, FileMode mode)
      throws IOException {
    if (entry == null || !entry.getFileMode().equals(mode)) {
      return Freshness.CHANGED;
    }
    return switch (file.compareMetadata(entry)) {
      case EQUAL -> Freshness.STAT_EQUAL;
      case DIFFER_BY_METADATA -> Freshness.CHANGED;
      case DIFFER_BY_TIMESTAMP, SMUDGED -> {
        if (!file.getEntryObjectId().equals(entry.getObjectId())) {
          yield Freshness.CHANGED;
        }
        // Same content under new stat data (a touch, a rewrite with equal bytes, a smudged
        // entry): record the new stat data so the file is not read again next time.
        entry.setLength(file.getEntryLength());
        entry.setLastModified(file.getEntryLastModifiedInstant());
        yield Freshness.CONTENT_EQUAL;
      }
    };
  }

  private DirCacheEntry newEntry(
      TreeWalk walk, WorkingTreeIterator file, FileMode mode, BlobWriter blobs) throws IOException {
    DirCacheEntry entry = new DirCacheEntry(walk.getRawPath());
    entry.setFileMode(mode);
    entry.setLength(file.getEntryLength());
    entry.setLastModified(file.getEntryLastModifiedInstant());
    long length = file.getEntryContentLength();
    try (InputStream content = opener.open(file)) {
      ObjectId blob = blobs.insert(length, content);
      entry.setObjectId(blob);
    }
    return entry;
  }
}
