package dev.agentoperator.runner.service;

import dev.agentoperator.runner.events.EventListener;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.loop.RunFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runs of the state directory ({@code <state>/runs/<uid>/}), each opened once as a {@link
 * RunHandle}: the runs started by this process and those an earlier process left behind.
 */
final class RunDirectory {

  private static final Pattern UID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** Runs kept in memory; beyond it, ended runs are dropped and read back from disk on demand. */
  static final int MAX_OPEN = 64;

  private final Path stateDir;
  private final List<EventListener> listeners;
  private final Map<String, RunHandle> runs = new LinkedHashMap<>();

  /** {@code listeners} are told about every event appended through the handles. */
  RunDirectory(Path stateDir, List<EventListener> listeners) {
    this.stateDir = stateDir;
    this.listeners = List.copyOf(listeners);
  }

  /** Refuses a uid that is not the contract's {@code ^[A-Za-z0-9-]{1,64}$} (no path tricks). */
  static void checkUid(String uid) {
    if (uid == null || !UID.matcher(uid).matches()) {
      throw ApiException.badRequest(
          "run uid must be 1 to 64 letters, digits or '-', got '"
              + Abbreviate.line(String.valueOf(uid), 80)
              + "'");
    }
  }

  /** The run, or null when it never existed here. */
  synchronized RunHandle find(String uid) {
    RunHandle known = runs.get(uid);
    if (known != null) {
      return known;
    }
    if (!Files.exists(RunFiles.runDir(stateDir, uid).resolve(EventLog.FILE_NAME))) {
      return null;
    }
    return open(uid);
  }

  /** The run, or a 404. */
  RunHandle require(String uid) {
    RunHandle handle = find(uid);
    if (handle == null) {
      throw ApiException.notFound("no run " + uid + " in this runner");
    }
    return handle;
  }

  /** The run's handle, creating its directory when it is new. */
  synchronized RunHandle open(String uid) {
    RunHandle known = runs.get(uid);
    if (known != null) {
      return known;
    }
    RunHandle handle = new RunHandle(uid, RunFiles.runDir(stateDir, uid));
    listeners.forEach(handle.events()::addListener);
    runs.put(uid, handle);
    forgetEndedRuns();
    return handle;
  }

  /** Keeps memory bounded over a long-lived session: an ended run's handle is only a cache. */
  private void forgetEndedRuns() {
    Iterator<Map.Entry<String, RunHandle>> oldestFirst = runs.entrySet().iterator();
    while (runs.size() > MAX_OPEN && oldestFirst.hasNext()) {
      RunHandle handle = oldestFirst.next().getValue();
      if (!handle.running() && handle.projection().phase().isFinal()) {
        oldestFirst.remove();
      }
    }
  }

  /** How many runs are held in memory now. */
  synchronized int openCount() {
    return runs.size();
  }

  /** The uids of the {@code max} runs with the most recent events, newest first. */
  List<String> latest(int max) {
    Path runsDir = stateDir.resolve("runs");
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(runsDir)) {
      return dirs.filter(dir -> Files.exists(dir.resolve(EventLog.FILE_NAME)))
          .filter(dir -> UID.matcher(dir.getFileName().toString()).matches())
          .sorted(Comparator.comparing(RunDirectory::modified).reversed())
          .limit(max)
          .map(dir -> dir.getFileName().toString())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + runsDir + ": " + e.getMessage(), e);
    }
  }

  private static FileTime modified(Path runDir) {
    try {
      return Files.getLastModifiedTime(runDir.resolve(EventLog.FILE_NAME));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
