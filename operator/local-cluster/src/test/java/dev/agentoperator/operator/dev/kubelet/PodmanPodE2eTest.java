package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.dev.PodmanImages;
import dev.agentoperator.operator.dev.apiserver.EmbeddedApiServer;
import dev.agentoperator.operator.dev.storage.LocalStorage;
import dev.agentoperator.operator.dev.storage.LocalVolumeProvisioner;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local kubelet on podman honours the pod spec as a kubelet does: init containers before the
 * containers, env from Secrets without the value on any command line, the claim an empty host
 * directory with the fsGroup applied, restarts by {@code restartPolicy} with the count in the
 * status, an image that is not in the local storage reported as {@code ErrImageNeverPull}.
 */
class PodmanPodE2eTest {

  private static final String NS = "default";
  private static final String IMAGE = OperatorConfig.fromEnv(Map.of()).runnerImage();

  @TempDir static Path home;
  private static EmbeddedApiServer api;
  private static KubernetesClient client;
  private static LocalVolumeProvisioner provisioner;
  private static LocalPodRuntime runtime;
  private static LocalStorage storage;

  @BeforeAll
  static void startCluster() {
    PodmanImages.require(IMAGE);
    api = EmbeddedApiServer.start();
    client = api.newClient();
    storage = new LocalStorage(home);
    provisioner = new LocalVolumeProvisioner(client, storage).start();
    runtime = new LocalPodRuntime(client, LocalImages.withRunnerJar(IMAGE, home.resolve("no.jar")),
        storage, LogSink.NONE, 18080, Duration.ofMillis(200), Clock.systemUTC(),
        RuntimeKind.PODMAN, SandboxIsolation.Request.defaults()).start();
  }

  @AfterAll
  static void stopCluster() {
    if (runtime != null) {
      runtime.close();
      provisioner.close();
      client.close();
      api.close();
    }
  }

  @Test
  void shouldRunInitThenRestartAFailedContainerOnFailureUntilItSucceeds() throws Exception {
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("work").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build())
        .create();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName("creds").endMetadata().addToStringData("password", "s3cret").build()).create();
    Pod pod = new PodBuilder()
        .withNewMetadata().withName("restarts").endMetadata()
        .withNewSpec().withRestartPolicy("OnFailure")
        .withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(1000L).withFsGroup(1000L)
        .endSecurityContext()
        .withInitContainers(new ContainerBuilder().withName("init").withImage(IMAGE)
            .withCommand("sh", "-c", "echo initialised > /data/init; ls -ld /data > /data/mode")
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .build())
        .withContainers(new ContainerBuilder().withName("main").withImage(IMAGE)
            // fails the first time, succeeds the second: the claim remembers the attempt
            .withCommand("sh", "-c", "cat /data/init; echo \"$PASSWORD\" >> /data/attempts;"
                + " [ \"$(wc -l < /data/attempts)\" -ge 2 ] || exit 3")
            .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef()
            .withName("creds").withKey("password").endSecretKeyRef().endValueFrom().endEnv()
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .build())
        .withVolumes(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim()
            .withClaimName("work").endPersistentVolumeClaim().build())
        .endSpec().build();

    client.pods().inNamespace(NS).resource(pod).create();

    Pod done = awaitPhase("restarts", "Succeeded");
    ContainerStatus main = done.getStatus().getContainerStatuses().getFirst();
    assertThat(main.getRestartCount()).isEqualTo(1);
    assertThat(main.getLastState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(main.getState().getTerminated().getExitCode()).isZero();
    Path claim = storage.claimDir(NS, "work");
    assertThat(Files.readString(claim.resolve("attempts"))).isEqualTo("s3cret\ns3cret\n");
    assertThat(Files.readString(claim.resolve("mode")))
        .as("the empty claim, given the fsGroup as a kubelet gives it").startsWith("drwxrws");
    assertThat(Files.readString(storage.logFile(done, "main"))).contains("initialised");
  }

  @Test
  void shouldReportAnImageThatIsNotInTheLocalStorage() {
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata()
        .withName("missing").endMetadata().withNewSpec().addNewContainer().withName("web")
        .withImage("localhost/agent-operator-no-such-image:0").endContainer().endSpec().build())
        .create();

    await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> assertThat(
        client.pods().inNamespace(NS).withName("missing").get().getStatus()
            .getContainerStatuses().getFirst().getState().getWaiting())
        .satisfies(w -> {
          assertThat(w.getReason()).isEqualTo("ErrImageNeverPull");
          assertThat(w.getMessage()).contains("not in the local podman storage");
        }));
  }

  private static Pod awaitPhase(String name, String phase) {
    return await().atMost(Duration.ofMinutes(3)).until(
        () -> client.pods().inNamespace(NS).withName(name).get(),
        p -> p.getStatus() != null && phase.equals(p.getStatus().getPhase()));
  }
}
