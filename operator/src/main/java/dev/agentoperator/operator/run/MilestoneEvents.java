package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events for a run's milestones only (Queued, Started, ApprovalRequired,
 * ApprovalResolved, InputRequired, InputAnswered, Pushed, PullRequestOpened, Resumed, Succeeded, Failed, Cancelled, TimedOut), never for progress.
 */
public class MilestoneEvents {

  private static final Logger LOG = LoggerFactory.getLogger(MilestoneEvents.class);

  /** The milestones a run reports, with their Event type. */
  public enum Milestone {
    Queued(false),
    Started(false),
    ApprovalRequired(false),
    ApprovalResolved(false),
    InputRequired(false),
    InputAnswered(false),
    Pushed(false),
    PullRequestOpened(false),
    Resumed(false),
    Succeeded(false),
    Failed(true),
    Cancelled(false),
    TimedOut(true);

    private final boolean warning;

    Milestone(boolean warning) {
      this.warning = warning;
    }
  }

  private final KubernetesClient client;
  private final Clock clock;

  public MilestoneEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Records {@code milestone} on {@code run}; a failure to record is logged, never thrown. */
  public void record(AgentRun run, Milestone milestone, String message) {
    String now = clock.instant().toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                run.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
            .withNamespace(run.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(run.getApiVersion())
                    .withKind(run.getKind())
                    .withName(run.getMetadata().getName())
                    .withNamespace(run.getMetadata().getNamespace())
                    .withUid(run.getMetadata().getUid())
                    .build())
            .withReason(milestone.name())
            .withMessage(RunProgress.cut(message, 1024))
            .withType(milestone.warning ? "Warning" : "Normal")
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent("agent-operator")
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(run.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event: namespace={} name={} reason={}: {}",
          run.getMetadata().getNamespace(),
          run.getMetadata().getName(),
          milestone,
          e.getMessage());
    }
  }
}
