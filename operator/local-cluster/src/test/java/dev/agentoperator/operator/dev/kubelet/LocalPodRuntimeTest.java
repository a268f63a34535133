package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.dev.apiserver.EmbeddedApiServer;
import dev.agentoperator.operator.dev.storage.LocalStorage;
import dev.agentoperator.operator.dev.storage.LocalVolumeProvisioner;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPodRuntimeTest {

  private static final String SH = "local/sh";
  private static final String RUNNER = "runner:test";
  private static final String NS = "default";

  @TempDir static Path home;
  private static EmbeddedApiServer api;
  private static KubernetesClient client;
  private static LocalVolumeProvisioner provisioner;
  private static LocalPodRuntime runtime;
  private static LocalStorage storage;

  @BeforeAll
  static void startCluster() {
    api = EmbeddedApiServer.start();
    client = api.newClient();
    storage = new LocalStorage(home);
    provisioner = new LocalVolumeProvisioner(client, storage).start();
    LocalImages images = LocalImages.withRunnerJar(RUNNER, home.resolve("no-runner.jar"))
        .withRunnerEnv(Map.of("RUNNER_SETTING", "for-the-runner"))
        .with(SH, List.of("/bin/sh", "-c"));
    runtime = new LocalPodRuntime(client, images, storage, LogSink.NONE, 18080,
        Duration.ofMillis(200), Clock.systemUTC(), RuntimeKind.BWRAP,
        SandboxIsolation.Request.defaults()).start();
  }

  @AfterAll
  static void stopCluster() {
    runtime.close();
    provisioner.close();
    client.close();
    api.close();
  }

  @Test
  void shouldRunInitContainerThenContainerWithResolvedEnvAndRewrittenMounts() throws Exception {
    // given a claim, a Secret, a ConfigMap and a pod whose init container writes into the claim
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("work").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("1Gi"))
        .endResources().endSpec().build()).create();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName("creds").endMetadata().addToStringData("password", "s3cret").build()).create();
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("settings").endMetadata().addToData("greeting", "hello")
        .addToData("file.txt", "from a configmap").build()).create();
    Pod pod = new PodBuilder()
        .withNewMetadata().withName("envs").endMetadata()
        .withNewSpec().withRestartPolicy("Never")
        .withInitContainers(new ContainerBuilder().withName("init").withImage(SH)
            .withArgs("mkdir -p \"$STATE\" && echo initialised > \"$STATE/init\"")
            .addNewEnv().withName("STATE").withValue("/data/state").endEnv()
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .build())
        .withContainers(new ContainerBuilder().withName("main").withImage(SH)
            .withArgs("cat \"$STATE/init\" \"$CONFIG_FILE\" > \"$STATE/out\";"
                + " echo \"$GREETING $PASSWORD $ADDRESS $(hostname 2>/dev/null || true)\""
                + " >> \"$STATE/out\"")
            .addNewEnv().withName("STATE").withValue("/data/state").endEnv()
            .addNewEnv().withName("CONFIG_FILE").withValue("/etc/settings/file.txt").endEnv()
            .addNewEnv().withName("ADDRESS").withValue("0.0.0.0:8080").endEnv()
            .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("settings").withKey("greeting").endConfigMapKeyRef().endValueFrom().endEnv()
            .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef()
            .withName("creds").withKey("password").endSecretKeyRef().endValueFrom().endEnv()
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .addNewVolumeMount().withName("settings").withMountPath("/etc/settings")
            .withReadOnly(true).endVolumeMount()
            .build())
        .withVolumes(
            new VolumeBuilder().withName("data").withNewPersistentVolumeClaim()
                .withClaimName("work").endPersistentVolumeClaim().build(),
            new VolumeBuilder().withName("settings").withNewConfigMap().withName("settings")
                .endConfigMap().build())
        .endSpec().build();

    // when it is created
    client.pods().inNamespace(NS).resource(pod).create();

    // then it succeeds, and the claim's directory holds what both containers wrote
    Pod done = awaitPhase("envs", "Succeeded");
    assertThat(done.getStatus().getPodIP()).startsWith("127.0.0.");
    assertThat(done.getStatus().getInitContainerStatuses().getFirst().getState().getTerminated()
        .getExitCode()).isZero();
    Path out = storage.claimDir(NS, "work").resolve("state/out");
    assertThat(Files.readString(out))
        .contains("initialised", "from a configmap",
            "hello s3cret " + done.getStatus().getPodIP() + ":8080");
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("work").get().getStatus()
        .getPhase()).isEqualTo("Bound");
  }

  @Test
  void shouldWaitWithCreateContainerConfigErrorUntilTheSecretExists() {
    // given a pod whose env refers to a Secret that does not exist yet
    client.pods().inNamespace(NS).resource(shPod("needs-secret", "Never", "exit 0")
        .editSpec().editFirstContainer().addNewEnv().withName("KEY").withNewValueFrom()
        .withNewSecretKeyRef().withName("late").withKey("key").endSecretKeyRef().endValueFrom()
        .endEnv().endContainer().endSpec().build()).create();

    // then it waits, saying which Secret is missing
    await().untilAsserted(() -> assertThat(containerStatus("needs-secret").getState().getWaiting())
        .satisfies(w -> {
          assertThat(w.getReason()).isEqualTo("CreateContainerConfigError");
          assertThat(w.getMessage()).isEqualTo("secret \"late\" not found");
        }));
    assertThat(pod("needs-secret").getStatus().getPhase()).isEqualTo("Pending");

    // when the Secret appears, the container starts and the pod succeeds
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName("late").endMetadata().addToStringData("key", "v").build()).create();
    awaitPhase("needs-secret", "Succeeded");
  }

  @Test
  void shouldKeepTheRunnerSettingsOutOfOtherCommandsOfTheRunnerImage() throws Exception {
    // given a container of the runner image that runs a command of its own (as the sandbox does)
    Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName("not-the-runner").endMetadata()
        .withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("main").withImage(RUNNER)
        .withCommand("/bin/sh", "-c", "echo \"seen: [$RUNNER_SETTING] [$OWN]\"")
        .addNewEnv().withName("OWN").withValue("from-pod").endEnv()
        .endContainer().endSpec().build()).create();

    // then it sees only its own env, none of the runner's settings
    awaitPhase("not-the-runner", "Succeeded");
    assertThat(Files.readString(storage.logFile(pod(pod.getMetadata().getName()), "main")))
        .contains("seen: [] [from-pod]");
  }

  @Test
  void shouldReportAnImageWithoutLocalEquivalent() {
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata()
        .withName("nginx").endMetadata().withNewSpec().addNewContainer().withName("web")
        .withImage("nginx:1.27").endContainer().endSpec().build()).create();

    await().untilAsserted(() -> assertThat(containerStatus("nginx").getState().getWaiting())
        .satisfies(w -> {
          assertThat(w.getReason()).isEqualTo("ErrImageNeverPull");
          assertThat(w.getMessage()).contains("image nginx:1.27 has no local equivalent");
        }));
  }

  @Test
  void shouldReportExitCodeAndFailWhenRestartPolicyIsNever() {
    client.pods().inNamespace(NS).resource(shPod("fails", "Never", "echo bad; exit 3").build())
        .create();

    Pod failed = awaitPhase("fails", "Failed");
    assertThat(failed.getStatus().getContainerStatuses().getFirst().getState().getTerminated())
        .satisfies(t -> {
          assertThat(t.getExitCode()).isEqualTo(3);
          assertThat(t.getReason()).isEqualTo("Error");
        });
  }

  @Test
  void shouldRestartAContainerKilledWithSigkillWhenRestartPolicyIsAlways() {
    // given a running pod
    client.pods().inNamespace(NS).resource(shPod("sleeper", "Always", "exec sleep 300").build())
        .create();
    awaitPhase("sleeper", "Running");
    ProcessHandle first = await().until(() -> runtime.process(NS, "sleeper", "main"),
        Optional::isPresent).orElseThrow();
    await().until(() -> pod("sleeper").getStatus().getContainerStatuses().getFirst().getReady());

    // when its process is killed
    first.destroyForcibly();

    // then the kubelet restarts it and reports the kill in lastState
    await().untilAsserted(() -> {
      ContainerStatus status = containerStatus("sleeper");
      assertThat(status.getRestartCount()).isEqualTo(1);
      assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
      assertThat(status.getState().getRunning()).isNotNull();
    });
    assertThat(runtime.process(NS, "sleeper", "main")).get()
        .isNotEqualTo(first).matches(ProcessHandle::isAlive);
  }

  @Test
  void shouldKillTheWholeProcessTreeWhenThePodIsDeleted() throws Exception {
    // given a pod whose container started a child process
    Path pidFile = home.resolve("child.pid");
    client.pods().inNamespace(NS).resource(shPod("tree", "Always",
        "sleep 300 & echo $! > " + pidFile + "; wait").build()).create();
    await().until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
    ProcessHandle child = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
        .orElseThrow();
    // the shell may write its child's pid before the kubelet has recorded the container's process
    ProcessHandle parent = await().until(() -> runtime.process(NS, "tree", "main"),
        Optional::isPresent).orElseThrow();

    // when the pod is deleted
    client.pods().inNamespace(NS).withName("tree").delete();

    // then neither process survives
    await().untilAsserted(() -> {
      assertThat(parent.isAlive()).isFalse();
      assertThat(child.isAlive()).isFalse();
    });
  }

  @Test
  void shouldRemoveEmptyDirsWithoutFollowingLinksWhenThePodIsDeleted() throws Exception {
    // given a pod that left a link to a file outside its emptyDir
    Path outside = Files.writeString(home.resolve("keep-me.txt"), "not the pod's");
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName("scratch").endMetadata()
        .withNewSpec().withRestartPolicy("Always")
        .addNewContainer().withName("main").withImage(SH)
        .withArgs("ln -s " + outside + " \"$SCRATCH/link\" && touch \"$SCRATCH/ready\" && sleep 300")
        .addNewEnv().withName("SCRATCH").withValue("/scratch").endEnv()
        .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec().build()).create();
    Pod pod = await().until(() -> pod("scratch"), p -> p.getMetadata().getUid() != null);
    Path dir = storage.emptyDir(pod, "scratch");
    await().until(() -> Files.exists(dir.resolve("ready")));

    // when the pod is deleted
    client.pods().inNamespace(NS).withName("scratch").delete();

    // then its emptyDir is gone and the link's target is untouched
    await().untilAsserted(() -> assertThat(storage.emptyDirsOf(pod)).doesNotExist());
    assertThat(outside).hasContent("not the pod's");
  }

  private static PodBuilder shPod(String name, String restartPolicy, String script) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withRestartPolicy(restartPolicy)
        .addNewContainer().withName("main").withImage(SH).withArgs(script).endContainer()
        .endSpec();
  }

  private static Pod pod(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  private static ContainerStatus containerStatus(String name) {
    Pod pod = pod(name);
    assertThat(pod.getStatus()).isNotNull();
    assertThat(pod.getStatus().getContainerStatuses()).isNotEmpty();
    return pod.getStatus().getContainerStatuses().getFirst();
  }

  private static Pod awaitPhase(String name, String phase) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> pod(name),
        p -> p != null && p.getStatus() != null && phase.equals(p.getStatus().getPhase()));
  }
}
