package dev.agentoperator.runner.workspace;

/** A workspace file left out of a snapshot because it is larger than the size cap. */
public record SkippedFile(String path, long sizeBytes) {

  @Override
  public String toString() {
    return path + " (" + Sizes.human(sizeBytes) + ")";
  }
}
