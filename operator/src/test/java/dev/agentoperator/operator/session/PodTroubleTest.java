package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodTroubleTest {

  @Test
  void shouldNameAnInitContainerInCrashLoopWithItsLastMessage() {
    // given the workspace init container keeps failing to clone
    ContainerStatus init =
        new ContainerStatusBuilder()
            .withName("prepare-workspace")
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .withMessage("back-off 40s restarting failed container")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(128)
            .withReason("Error")
            .withMessage("fatal: could not read Username for 'https://github.com'")
            .endTerminated()
            .endLastState()
            .build();

    // when / then
    assertThat(PodTrouble.of(pod(List.of(init), List.of(), null)))
        .hasValueSatisfying(
            t -> {
              assertThat(t.reason()).isEqualTo("CrashLoopBackOff");
              assertThat(t.message())
                  .isEqualTo(
                      "init container prepare-workspace CrashLoopBackOff (exit code 128): fatal:"
                          + " could not read Username for 'https://github.com'");
            });
  }

  @Test
  void shouldReportAnInitContainerThatExitedWithAnError() {
    ContainerStatus init =
        new ContainerStatusBuilder()
            .withName("prepare-workspace")
            .withNewState()
            .withNewTerminated()
            .withExitCode(1)
            .withReason("Error")
            .withMessage("repository not found")
            .endTerminated()
            .endState()
            .build();

    assertThat(PodTrouble.of(pod(List.of(init), List.of(), null)))
        .hasValueSatisfying(
            t -> {
              assertThat(t.reason()).isEqualTo("Error");
              assertThat(t.message()).contains("failed (exit code 1): repository not found");
            });
  }

  @Test
  void shouldReportImagePullFailuresOfEachKind() {
    for (String reason : List.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull")) {
      ContainerStatus sandbox = waiting("sandbox", reason, "pull access denied for acme/tools");

      assertThat(PodTrouble.of(pod(List.of(), List.of(sandbox), null)))
          .as(reason)
          .hasValueSatisfying(
              t -> {
                assertThat(t.reason()).isEqualTo(reason);
                assertThat(t.message())
                    .isEqualTo("container sandbox " + reason + ": pull access denied for acme/tools");
              });
    }
  }

  @Test
  void shouldReportAnUnschedulablePodWithTheSchedulersMessage() {
    Pod pod = pod(List.of(), List.of(), "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.");

    assertThat(PodTrouble.of(pod))
        .hasValueSatisfying(
            t -> {
              assertThat(t.reason()).isEqualTo("Unschedulable");
              assertThat(t.message()).contains("unbound immediate PersistentVolumeClaims");
            });
  }

  @Test
  void shouldSeeNoTroubleInAPodThatIsStillStarting() {
    ContainerStatus runner = waiting("runner", "ContainerCreating", null);

    assertThat(PodTrouble.of(pod(List.of(), List.of(runner), null))).isEmpty();
    assertThat(PodTrouble.of(new Pod())).isEmpty();
  }

  @Test
  void shouldBoundTheMessageAndKeepTheReasonCamelCase() {
    ContainerStatus runner = waiting("runner", "CrashLoopBackOff", "x".repeat(5000));

    assertThat(PodTrouble.of(pod(List.of(), List.of(runner), null)))
        .hasValueSatisfying(
            t -> {
              assertThat(t.message()).hasSize(PodTrouble.MESSAGE_LIMIT).endsWith("...");
              assertThat(t.reason()).matches("[A-Z][A-Za-z]*");
            });
  }

  private static ContainerStatus waiting(String name, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  private static Pod pod(
      List<ContainerStatus> init, List<ContainerStatus> containers, String unschedulable) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("s-sandbox")
            .endMetadata()
            .withNewStatus()
            .withPhase("Pending")
            .withInitContainerStatuses(init)
            .withContainerStatuses(containers)
            .endStatus();
    if (unschedulable != null) {
      pod.editStatus()
          .addNewCondition()
          .withType("PodScheduled")
          .withStatus("False")
          .withReason("Unschedulable")
          .withMessage(unschedulable)
          .endCondition()
          .endStatus();
    }
    return pod.build();
  }
}
