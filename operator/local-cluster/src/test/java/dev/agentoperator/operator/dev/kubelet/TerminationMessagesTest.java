package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.dev.storage.LocalStorage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A terminated container's message, filled the way a kubelet fills it. */
class TerminationMessagesTest {

  @TempDir Path home;

  private final Pod pod =
      new PodBuilder()
          .withNewMetadata()
          .withName("s-sandbox")
          .withNamespace("ns")
          .withUid("u1")
          .endMetadata()
          .build();

  @Test
  void shouldReportTheLogTailOfAFailedContainerWithFallbackToLogsOnError() throws Exception {
    TerminationMessages messages = new TerminationMessages(storage());
    log("init-workspace", "cloning ftp://example.org/repo.git\nfatal: unsupported URL scheme 'ftp'\n");

    String message = messages.of(pod, container("init-workspace", "FallbackToLogsOnError"), 1);

    assertThat(message).endsWith("fatal: unsupported URL scheme 'ftp'");
  }

  @Test
  void shouldPreferWhatTheContainerWroteToItsTerminationMessagePath() throws Exception {
    TerminationMessages messages = new TerminationMessages(storage());
    Container container = container("init-workspace", "FallbackToLogsOnError");
    log("init-workspace", "noise\n");
    Files.writeString(messages.hostFile(pod, container), "the workspace is not writable");

    assertThat(messages.of(pod, container, 1)).isEqualTo("the workspace is not writable");
  }

  @Test
  void shouldReportNothingForASuccessOrWithoutTheFallbackPolicy() throws Exception {
    TerminationMessages messages = new TerminationMessages(storage());
    log("runner", "bye\n");

    assertThat(messages.of(pod, container("runner", "FallbackToLogsOnError"), 0)).isNull();
    assertThat(messages.of(pod, container("runner", "File"), 1)).isNull();
  }

  @Test
  void shouldKeepTheLastEightyLinesAtMost() throws Exception {
    log(
        "runner",
        IntStream.rangeClosed(1, 200).mapToObj(i -> "l" + i).collect(Collectors.joining("\n"))
            + "\n");

    String tail = TerminationMessages.tail(storage().logFile(pod, "runner"));

    assertThat(tail.lines()).hasSize(80).startsWith("l121").endsWith("l200");
  }

  private LocalStorage storage() {
    return new LocalStorage(home);
  }

  private void log(String container, String text) throws Exception {
    Path log = storage().logFile(pod, container);
    Files.createDirectories(log.getParent());
    Files.writeString(log, text);
  }

  private static Container container(String name, String policy) {
    return new ContainerBuilder().withName(name).withTerminationMessagePolicy(policy).build();
  }
}
