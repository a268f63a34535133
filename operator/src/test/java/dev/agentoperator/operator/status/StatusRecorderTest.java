package dev.agentoperator.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import dev.agentoperator.operator.testing.Resources;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one status path: only changes are written, a conflict caused by a change outside status is
 * written again on the fresh version, one where the status changed is left to the retry.
 */
@EnableKubernetesMockClient
class StatusRecorderTest {

  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final String PATH = "/apis/agentoperator.dev/v1alpha1/namespaces/ns/agentsessions/s";

  private final StatusRecorder recorder = new StatusRecorder();
  private final List<AgentSession> cached = new ArrayList<>();

  @Test
  void shouldWriteNothingWhenTheStatusDidNotChange() throws Exception {
    AgentSession read = session("1", AgentSessionPhase.Pending);

    boolean wrote = recorder.record(read, session("1", AgentSessionPhase.Pending), client, cached::add);

    assertThat(wrote).isFalse();
    assertThat(cached).isEmpty();
    assertThat(server.takeRequest(100, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void shouldWriteAgainOnTheFreshVersionWhenOnlyMetadataChangedMeanwhile() throws Exception {
    // given the session was labelled since it was read: version 2, status as read
    server.expect().put().withPath(PATH + "/status").andReturn(409, conflict()).once();
    server.expect().get().withPath(PATH).andReturn(200, session("2", AgentSessionPhase.Pending)).once();
    server.expect().put().withPath(PATH + "/status").andReturn(200, session("3", AgentSessionPhase.Ready)).once();

    // when a status computed from version 1 is recorded
    boolean wrote =
        recorder.record(
            session("1", AgentSessionPhase.Pending),
            session("1", AgentSessionPhase.Ready),
            client,
            cached::add);

    // then it is written on version 2, and the written object handed to the cache
    assertThat(wrote).isTrue();
    assertThat(cached).singleElement()
        .satisfies(s -> assertThat(s.getMetadata().getResourceVersion()).isEqualTo("3"));
    server.takeRequest();
    server.takeRequest();
    assertThat(server.takeRequest().getBody().readUtf8()).contains("\"resourceVersion\":\"2\"");
  }

  @Test
  void shouldLeaveAConflictToTheRetryWhenTheStatusChangedMeanwhile() {
    // given another reconcile wrote the status since it was read
    server.expect().put().withPath(PATH + "/status").andReturn(409, conflict()).once();
    server.expect().get().withPath(PATH).andReturn(200, session("2", AgentSessionPhase.Idle)).once();

    // when a status computed from the stale read is recorded, it is not forced over the newer one
    assertThatThrownBy(
            () ->
                recorder.record(
                    session("1", AgentSessionPhase.Pending),
                    session("1", AgentSessionPhase.Ready),
                    client,
                    cached::add))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(cached).isEmpty();
  }

  private static AgentSession session(String resourceVersion, AgentSessionPhase phase) {
    AgentSession session = new AgentSession();
    session.setMetadata(
        new ObjectMetaBuilder()
            .withName("s")
            .withNamespace("ns")
            .withResourceVersion(resourceVersion)
            .build());
    session.setSpec(Resources.sessionSpec());
    session.setStatus(new AgentSessionStatus().setPhase(phase));
    return session;
  }

  private static io.fabric8.kubernetes.api.model.Status conflict() {
    return new StatusBuilder()
        .withCode(409)
        .withReason("Conflict")
        .withMessage("the object has been modified")
        .build();
  }
}
