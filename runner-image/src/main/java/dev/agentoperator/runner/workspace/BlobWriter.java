package dev.agentoperator.runner.workspace;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;

/**
 * Stores file contents as blobs: loose objects for the few files a step usually changes, one pack
 * once a snapshot stores many (the first snapshot of a workspace, a step that generated a tree). A
 * hashing-only writer computes the ids and stores nothing.
 */
final class BlobWriter implements AutoCloseable {

  /** Loose objects up to this many blobs per snapshot, a pack for the rest. */
  static final int LOOSE_LIMIT = 256;

  private final Repository repository;
  private final ObjectInserter loose;
  private final boolean store;
  private PackInserter pack;
  private int written;

  private BlobWriter(Repository repository, ObjectInserter loose, boolean store) {
    this.repository = repository;
    this.loose = loose;
    this.store = store;
  }

  /** A writer that stores blobs, through {@code loose} while they are few. */
  static BlobWriter storing(Repository repository, ObjectInserter loose) {
    return new BlobWriter(repository, loose, true);
  }

  /** A writer that only computes blob ids. */
  static BlobWriter hashingOnly(Repository repository) {
    return new BlobWriter(repository, new ObjectInserter.Formatter(), false);
  }

  ObjectId insert(long length, InputStream content) throws IOException {
    if (!store) {
      return loose.idFor(Constants.OBJ_BLOB, length, content);
    }
    written++;
    if (pack == null
        && written > LOOSE_LIMIT
        && repository.getObjectDatabase() instanceof ObjectDirectory objects) {
      // A loose object costs a file plus a failed lookup that re-reads the pack directory and the
      // user's git config files: for thousands of files that is most of the work. One pack per
      // large snapshot keeps the number of packs small.
      pack = objects.newPackInserter();
      // Skipping the existence check may store a blob twice (in a pack and loose), which git
      // tolerates; checking would bring back the failed lookups.
      pack.checkExisting(false);
    }
    return (pack == null ? loose : pack).insert(Constants.OBJ_BLOB, length, content);
  }

  /** Makes every blob readable; must happen before a tree or the index refers to them. */
  void flush() throws IOException {
    if (!store) {
      return;
    }
    loose.flush();
    if (pack != null) {
      pack.flush();
    }
  }

  @Override
  public void close() {
    if (pack != null) {
      pack.close();
    }
  }
}
