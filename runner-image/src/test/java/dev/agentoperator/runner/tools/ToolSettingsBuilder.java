package dev.agentoperator.runner.tools;

import java.time.Duration;

/** The runner's default tool settings with some caps changed, for tests of those caps. */
public final class ToolSettingsBuilder {

  private final ToolSettings d = ToolSettings.defaults();
  private Duration shellDefaultTimeout = d.shellDefaultTimeout();
  private Duration shellMaxTimeout = d.shellMaxTimeout();
  private int shellOutputCapBytes = d.shellOutputCapBytes();
  private int readMaxLines = d.readMaxLines();
  private int readMaxLineChars = d.readMaxLineChars();
  private int resultCapChars = d.resultCapChars();
  private int grepMaxMatches = d.grepMaxMatches();
  private int globMaxResults = d.globMaxResults();
  private int listDirMaxEntries = d.listDirMaxEntries();
  private long fetchMaxBytes = d.fetchMaxBytes();
  private Duration fetchTimeout = d.fetchTimeout();

  private ToolSettingsBuilder() {}

  public static ToolSettingsBuilder defaults() {
    return new ToolSettingsBuilder();
  }

  public ToolSettingsBuilder shellTimeouts(Duration defaultTimeout, Duration maxTimeout) {
    shellDefaultTimeout = defaultTimeout;
    shellMaxTimeout = maxTimeout;
    return this;
  }

  public ToolSettingsBuilder shellOutputCapBytes(int capBytes) {
    shellOutputCapBytes = capBytes;
    return this;
  }

  public ToolSettingsBuilder readLimits(int maxLines, int maxLineChars) {
    readMaxLines = maxLines;
    readMaxLineChars = maxLineChars;
    return this;
  }

  public ToolSettingsBuilder resultCapChars(int capChars) {
    resultCapChars = capChars;
    return this;
  }

  public ToolSettingsBuilder searchLimits(int maxMatches, int maxGlobResults, int maxDirEntries) {
    grepMaxMatches = maxMatches;
    globMaxResults = maxGlobResults;
    listDirMaxEntries = maxDirEntries;
    return this;
  }

  public ToolSettingsBuilder fetchLimits(long maxBytes, Duration timeout) {
    fetchMaxBytes = maxBytes;
    fetchTimeout = timeout;
    return this;
  }

  public ToolSettings build() {
    return new ToolSettings(shellDefaultTimeout, shellMaxTimeout, shellOutputCapBytes,
        d.shellOutputGrace(), readMaxLines, readMaxLineChars, resultCapChars, grepMaxMatches,
        globMaxResults, listDirMaxEntries, fetchMaxBytes, fetchTimeout);
  }
}
