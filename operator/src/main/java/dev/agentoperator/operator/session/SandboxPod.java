package dev.agentoperator.operator.session;

import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.ConfigMapKeyRef;
import dev.agentoperator.operator.api.v1alpha1.GitPush;
import dev.agentoperator.operator.api.v1alpha1.GitSource;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.PullRequestSpec;
import dev.agentoperator.operator.api.v1alpha1.SandboxSpec;
import dev.agentoperator.operator.api.v1alpha1.SkillSource;
import dev.agentoperator.operator.api.v1alpha1.WorkspaceSpec;
import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sandbox pod, under the restricted Pod Security Standard: init containers that prepare the
 * workspace and inject the tool executor, the trusted {@code runner} container (agent loop, model
 * client, state, the runner API; the only one with the token, the gateway token or, for a direct
 * session, the model key, and the state) and the
 * untrusted {@code sandbox} container, where every tool call runs: its own uid, the workspace only,
 * no Secret (the push and pull request credentials are files in the runner container only), no service-account token, no shared process namespace. The two talk over a Unix socket
 * in a shared emptyDir. Their environments follow {@code spec/runner-env.md}.
 */
public final class SandboxPod {

  /** Annotation with the hash of the pod's spec; a different hash means "recreate the pod". */
  public static final String SPEC_HASH_ANNOTATION = "agentoperator.dev/spec-hash";

  public static final String RUNNER_CONTAINER = "runner";
  public static final String SANDBOX_CONTAINER = "sandbox";
  public static final String INIT_CONTAINER = "init-workspace";

  /**
   * A container that fails without writing its termination-log file still says why: the kubelet
   * puts the tail of its log in the terminated state's message, which reaches the session's
   * PodReady condition and the waiting runs (a clone that failed, a workspace not writable).
   */
  static final String TERMINATION_MESSAGE_POLICY = "FallbackToLogsOnError";
  public static final String INSTALL_EXECUTOR_CONTAINER = "install-executor";
  public static final String EXECUTOR_DIR = "/agent";
  public static final String EXECUTOR_SOCKET = "/run/agent/executor.sock";
  public static final String WORKSPACE_DIR = "/data/workspace";
  public static final String PORT_NAME = "http";
  public static final String CASSETTE_DIR = "/etc/agent/cassette";
  public static final String GIT_CREDENTIALS_DIR = "/etc/agent/git-credentials";
  public static final String PUSH_CREDENTIALS_DIR = "/etc/agent/git-push-credentials";
  public static final String PR_TOKEN_DIR = "/etc/agent/pull-request-token";
  static final String PR_TOKEN_KEY = "token";
  static final String DEFAULT_CASSETTE_KEY = "cassette.yaml";

  // The runner and the sandbox share the group (the pod's fsGroup), never the uid: the runner reads
  // and restores the workspace through group rights, and the agent cannot touch the runner's
  // processes or its state (owned by the runner's uid, mounted only in the runner container).
  private static final long UID = 1000L;
  private static final long SANDBOX_UID = 1001L;
  private static final String DATA_VOLUME = "data";
  private static final String TMP_VOLUME = "tmp";
  private static final String SANDBOX_TMP_VOLUME = "sandbox-tmp";
  private static final String EXECUTOR_VOLUME = "executor";
  private static final String EXECUTOR_SOCKET_VOLUME = "executor-socket";
  private static final String CASSETTE_VOLUME = "cassette";
  private static final String SKILL_VOLUME_PREFIX = "skill-";
  private static final String SKILLS_DIR = "/etc/agent-skills";
  private static final String GIT_CREDENTIALS_VOLUME = "git-credentials";
  private static final String PUSH_CREDENTIALS_VOLUME = "git-push-credentials";
  private static final String PR_TOKEN_VOLUME = "pull-request-token";
  private static final int READ_ONLY_FOR_OWNER_AND_GROUP = 0440;

  private SandboxPod() {}

  /** The pod the session should have, with its spec-hash annotation. */
  public static Pod desired(AgentSession session, OperatorConfig config) {
    String name = session.getMetadata().getName();
    SandboxSpec sandbox = sandbox(session);
    Pod pod =
        new PodBuilder()
            .withMetadata(SessionMetadata.metadata(session, SessionNames.pod(name)))
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withRestartPolicy("Always")
            .withRuntimeClassName(sandbox.runtimeClassName())
            .withNodeSelector(sandbox.nodeSelector())
            .withTolerations(sandbox.tolerations())
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(UID)
            .withRunAsGroup(UID)
            .withFsGroup(UID)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withInitContainers(initContainer(session, config), installExecutor(config))
            .withContainers(runnerContainer(session, config), sandboxContainer(session, config))
            .withVolumes(volumes(session))
            .endSpec()
            .build();
    return new PodBuilder(pod)
        .editMetadata()
        .addToAnnotations(SPEC_HASH_ANNOTATION, SpecHash.of(pod.getSpec()))
        .endMetadata()
        .build();
  }

  /** The spec-hash annotation of an existing pod, or null. */
  public static String specHashOf(Pod pod) {
    if (pod == null || pod.getMetadata().getAnnotations() == null) {
      return null;
    }
    return pod.getMetadata().getAnnotations().get(SPEC_HASH_ANNOTATION);
  }

  private static Container initContainer(AgentSession session, OperatorConfig config) {
    Optional<GitSource> git = git(session);
    List<EnvVar> env = new ArrayList<>(commonEnv(config));
    List<VolumeMount> mounts = new ArrayList<>(dataMounts());
    git.ifPresent(
        source -> {
          env.add(plain(RunnerEnv.GIT_URL, source.url()));
          if (source.ref() != null) {
            env.add(plain(RunnerEnv.GIT_REF, source.ref()));
          }
          if (source.credentialsSecretRef() != null) {
            env.add(plain(RunnerEnv.GIT_CREDENTIALS_DIR, GIT_CREDENTIALS_DIR));
            mounts.add(readOnlyMount(GIT_CREDENTIALS_VOLUME, GIT_CREDENTIALS_DIR));
          }
        });
    env.addAll(SandboxGitSkills.initEnv(skills(session), SKILLS_DIR));
    mounts.addAll(SandboxGitSkills.initMounts(skills(session), SKILL_VOLUME_PREFIX, SKILLS_DIR));
    return new ContainerBuilder()
        .withName(INIT_CONTAINER)
        .withImage(config.runnerImage())
        .withCommand("agent-runner", "init-workspace")
        .withEnv(env)
        .withResources(config.defaultRunnerResources())
        .withSecurityContext(restrictedContainer(UID))
        .withTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY)
        .withVolumeMounts(mounts)
        .build();
  }

  /** Copies the executor (runtime, jar, launcher) into an emptyDir, so any glibc image can run it. */
  private static Container installExecutor(OperatorConfig config) {
    return new ContainerBuilder()
        .withName(INSTALL_EXECUTOR_CONTAINER)
        .withImage(config.runnerImage())
        .withCommand("agent-runner", "install-executor", EXECUTOR_DIR)
        .withResources(config.defaultRunnerResources())
        .withSecurityContext(restrictedContainer(UID))
        .withTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY)
        .withVolumeMounts(
            new VolumeMountBuilder().withName(EXECUTOR_VOLUME).withMountPath(EXECUTOR_DIR).build())
        .build();
  }

  /**
   * Where the agent's tools run. Its env holds only what the session gives it (never a Secret);
   * its mounts are the workspace, its own /tmp, the executor (read-only) and the socket.
   */
  private static Container sandboxContainer(AgentSession session, OperatorConfig config) {
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("HOME", "/tmp"));
    env.add(plain("TMPDIR", "/tmp"));
    env.add(plain(RunnerEnv.WORKSPACE_DIR, WORKSPACE_DIR));
    // The clone belongs to the init container's uid, not the sandbox's: without this, git refuses
    // the workspace ("dubious ownership") and the agent cannot commit what git_push publishes.
    env.add(plain("GIT_CONFIG_PARAMETERS", "'safe.directory=" + WORKSPACE_DIR + "'"));
    env.addAll(userEnv(session, env));
    return new ContainerBuilder()
        .withName(SANDBOX_CONTAINER)
        .withImage(Optional.ofNullable(sandbox(session).image()).orElse(config.runnerImage()))
        .withCommand(EXECUTOR_DIR + "/bin/agent-executor")
        .withArgs("--socket", EXECUTOR_SOCKET, "--workspace", WORKSPACE_DIR)
        .withWorkingDir(WORKSPACE_DIR)
        .withEnv(env)
        .withResources(resources(session, config))
        .withSecurityContext(restrictedContainer(SANDBOX_UID))
        .withTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY)
        .withVolumeMounts(
            new VolumeMountBuilder()
                .withName(DATA_VOLUME)
                .withMountPath(WORKSPACE_DIR)
                .withSubPath("workspace")
                .build(),
            new VolumeMountBuilder().withName(SANDBOX_TMP_VOLUME).withMountPath("/tmp").build(),
            readOnlyMount(EXECUTOR_VOLUME, EXECUTOR_DIR),
            socketMount())
        .addAllToVolumeMounts(skillMounts(session))
        .build();
  }

  private static VolumeMount socketMount() {
    return new VolumeMountBuilder()
        .withName(EXECUTOR_SOCKET_VOLUME)
        .withMountPath(EXECUTOR_SOCKET.substring(0, EXECUTOR_SOCKET.lastIndexOf('/')))
        .build();
  }

  private static Container runnerContainer(AgentSession session, OperatorConfig config) {
    String name = session.getMetadata().getName();
    ModelSpec model = session.getSpec().model();
    List<EnvVar> env = new ArrayList<>();
    env.add(plain(RunnerEnv.RUNNER_ADDRESS, "0.0.0.0:" + config.runnerPort()));
    env.add(plain(RunnerEnv.EXECUTOR_SOCKET, EXECUTOR_SOCKET));
    env.add(
        fromSecret(
            RunnerEnv.RUNNER_TOKEN,
            SessionNames.runnerTokenSecret(name),
            RunnerTokenSecret.TOKEN_KEY));
    env.addAll(commonEnv(config));
    env.add(plain(RunnerEnv.MODEL_PROVIDER, model.provider().name()));
    if (GatewayTokenSecret.usesGateway(session, config)) {
      modelThroughGateway(name, model, config, env);
    } else {
      modelDirect(model, env);
    }
    optional(env, RunnerEnv.MODEL_TEMPERATURE, model.temperature());
    optional(env, RunnerEnv.MODEL_MAX_OUTPUT_TOKENS, model.maxOutputTokens());
    optional(env, RunnerEnv.MODEL_CONTEXT_WINDOW, model.contextWindow());
    List<VolumeMount> mounts = new ArrayList<>(dataMounts());
    mounts.add(socketMount());
    publishing(session, env, mounts);
    mounts.addAll(skillMounts(session));
    SandboxMcpServers.runnerEnv(session).ifPresent(env::add);
    mounts.addAll(SandboxMcpServers.runnerMounts(session));
    cassette(session)
        .ifPresent(
            ref -> {
              env.add(plain(RunnerEnv.MODEL_CASSETTE, CASSETTE_DIR + "/" + cassetteKey(ref)));
              mounts.add(readOnlyMount(CASSETTE_VOLUME, CASSETTE_DIR));
            });
    return new ContainerBuilder()
        .withName(RUNNER_CONTAINER)
        .withImage(config.runnerImage())
        .withCommand("agent-runner", "serve")
        .addNewPort()
        .withName(PORT_NAME)
        .withContainerPort(config.runnerPort())
        .withProtocol("TCP")
        .endPort()
        .withEnv(env)
        .withResources(config.defaultRunnerResources())
        // Probed every second from the start, so a run waiting for the pod is dispatched within a
        // second of the runner being ready (a 5 s period cost up to 5 s per pod start). The cost:
        // one kubelet GET per second per pod, answered by two stat calls in the runner. Fifteen
        // failures in a row (15 s, as before) before a ready runner counts as not ready.
        .withReadinessProbe(probe("/readyz", 0, 1, 15))
        .withLivenessProbe(probe("/healthz", 10, 10, 3))
        .withSecurityContext(restrictedContainer(UID))
        .withTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY)
        .withVolumeMounts(mounts)
        .build();
  }

  /** The provider's URL and key, for the runner container only (a direct session). */
  private static void modelDirect(ModelSpec model, List<EnvVar> env) {
    optional(env, RunnerEnv.MODEL_BASE_URL, model.baseUrl());
    optional(env, RunnerEnv.MODEL_NAME, model.name());
    if (model.apiKeySecretRef() != null) {
      env.add(
          fromSecret(
              RunnerEnv.MODEL_API_KEY,
              model.apiKeySecretRef().name(),
              model.apiKeySecretRef().key()));
    }
  }

  /**
   * The gateway's URL and the session's gateway token in place of the provider's: the key stays
   * in the gateway, and no container of the pod can read it.
   */
  private static void modelThroughGateway(
      String name, ModelSpec model, OperatorConfig config, List<EnvVar> env) {
    env.add(plain(RunnerEnv.MODEL_BASE_URL, config.gatewayUrl().orElseThrow() + "/v1"));
    env.add(plain(RunnerEnv.MODEL_GATEWAY, "true"));
    optional(env, RunnerEnv.MODEL_NAME, model.name());
    env.add(
        fromSecret(
            RunnerEnv.MODEL_API_KEY,
            SessionNames.gatewayTokenSecret(name),
            GatewayTokenSecret.TOKEN_KEY));
  }

  /**
   * What git_push and open_pull_request need, for the runner container only: the remote and branch
   * patterns as env, the Secrets as read-only files (never env, never the sandbox's mounts).
   */
  private static void publishing(
      AgentSession session, List<EnvVar> env, List<VolumeMount> mounts) {
    Optional<GitSource> git = git(session);
    git.map(GitSource::push)
        .ifPresent(
            push -> {
              env.add(
                  plain(
                      RunnerEnv.GIT_PUSH_REMOTE,
                      push.remote() != null ? push.remote() : git.get().url()));
              env.add(
                  plain(
                      RunnerEnv.GIT_PUSH_BRANCHES,
                      String.join(",", push.branches() == null ? List.of() : push.branches())));
              env.add(
                  plain(
                      RunnerEnv.GIT_PUSH_ALLOW_FORCE,
                      String.valueOf(Boolean.TRUE.equals(push.allowForcePush()))));
              if (push.credentialsSecretRef() != null) {
                env.add(plain(RunnerEnv.GIT_PUSH_CREDENTIALS_DIR, PUSH_CREDENTIALS_DIR));
                mounts.add(readOnlyMount(PUSH_CREDENTIALS_VOLUME, PUSH_CREDENTIALS_DIR));
              }
            });
    git.map(GitSource::pullRequests)
        .ifPresent(
            pr -> {
              env.add(plain(RunnerEnv.PR_PROVIDER, pr.provider().name()));
              env.add(plain(RunnerEnv.PR_API_URL, pr.apiUrl()));
              optional(env, RunnerEnv.PR_REPOSITORY, pr.repository());
              optional(env, RunnerEnv.PR_BASE_BRANCH, pr.baseBranch());
              env.add(plain(RunnerEnv.PR_TOKEN_FILE, PR_TOKEN_DIR + "/" + PR_TOKEN_KEY));
              mounts.add(readOnlyMount(PR_TOKEN_VOLUME, PR_TOKEN_DIR));
            });
  }

  private static Optional<GitSource> git(AgentSession session) {
    return Optional.ofNullable(session.getSpec().workspace()).map(WorkspaceSpec::git);
  }

  /**
   * The session's extra env for the sandbox container, minus names the operator sets itself and
   * minus anything read from a Secret: whatever the sandbox can read, the agent can read (the CRD
   * rejects such entries; this is the second line).
   */
  private static List<EnvVar> userEnv(AgentSession session, List<EnvVar> operatorEnv) {
    List<EnvVar> extra = sandbox(session).env();
    if (extra == null) {
      return List.of();
    }
    Set<String> reserved = operatorEnv.stream().map(EnvVar::getName).collect(Collectors.toSet());
    return extra.stream()
        .filter(e -> !reserved.contains(e.getName()) && !e.getName().startsWith("AGENT_"))
        .filter(e -> e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null)
        .map(e -> new EnvVarBuilder(e).build())
        .toList();
  }

  private static List<EnvVar> commonEnv(OperatorConfig config) {
    return List.of(
        plain(RunnerEnv.WORKSPACE_DIR, "/data/workspace"),
        plain(RunnerEnv.STATE_DIR, "/data/state"),
        plain(RunnerEnv.LOG_FORMAT, config.logFormat().name()));
  }

  private static List<VolumeMount> dataMounts() {
    return List.of(
        new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath("/data").build(),
        new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
  }

  private static List<Volume> volumes(AgentSession session) {
    String name = session.getMetadata().getName();
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName(DATA_VOLUME)
            .withNewPersistentVolumeClaim()
            .withClaimName(SessionNames.workspaceClaim(name))
            .endPersistentVolumeClaim()
            .build());
    for (String emptyDir :
        List.of(TMP_VOLUME, SANDBOX_TMP_VOLUME, EXECUTOR_VOLUME, EXECUTOR_SOCKET_VOLUME)) {
      volumes.add(new VolumeBuilder().withName(emptyDir).withNewEmptyDir().endEmptyDir().build());
    }
    cassette(session)
        .ifPresent(
            ref ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(CASSETTE_VOLUME)
                        .withNewConfigMap()
                        .withName(ref.name())
                        .endConfigMap()
                        .build()));
    for (SkillSource skill : skills(session)) {
      VolumeBuilder volume = new VolumeBuilder().withName(SKILL_VOLUME_PREFIX + skill.name());
      volumes.add(
          SandboxGitSkills.isGit(skill)
              // filled by the init container's clone at each pod start
              ? volume.withNewEmptyDir().endEmptyDir().build()
              : volume
                  .withNewConfigMap()
                  .withName(skill.configMapRef().name())
                  .endConfigMap()
                  .build());
    }
    git(session)
        .map(GitSource::credentialsSecretRef)
        .ifPresent(ref -> volumes.add(secretVolume(GIT_CREDENTIALS_VOLUME, ref.name())));
    git(session)
        .map(GitSource::push)
        .map(GitPush::credentialsSecretRef)
        .ifPresent(ref -> volumes.add(secretVolume(PUSH_CREDENTIALS_VOLUME, ref.name())));
    git(session)
        .map(GitSource::pullRequests)
        .map(PullRequestSpec::tokenSecretRef)
        .ifPresent(ref -> volumes.add(secretVolume(PR_TOKEN_VOLUME, ref.name())));
    volumes.addAll(SandboxMcpServers.volumes(session));
    return volumes;
  }

  /**
   * The session's skills, read-only at {@code /etc/agent-skills/<name>} (where the sandbox's skill
   * tool looks). ConfigMaps only: the sandbox may read every file of a skill.
   */
  private static List<VolumeMount> skillMounts(AgentSession session) {
    return skills(session).stream()
        .map(s -> readOnlyMount(SKILL_VOLUME_PREFIX + s.name(), SKILLS_DIR + "/" + s.name()))
        .toList();
  }

  private static List<SkillSource> skills(AgentSession session) {
    List<SkillSource> skills = session.getSpec().skills();
    return skills == null ? List.of() : skills;
  }

  private static Volume secretVolume(String volume, String secret) {
    return new VolumeBuilder()
        .withName(volume)
        .withNewSecret()
        .withSecretName(secret)
        .withDefaultMode(READ_ONLY_FOR_OWNER_AND_GROUP)
        .endSecret()
        .build();
  }

  private static SecurityContext restrictedContainer(long uid) {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withRunAsUser(uid)
        .withRunAsGroup(UID)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  private static Probe probe(String path, int initialDelay, int period, int failures) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(PORT_NAME))
        .endHttpGet()
        .withInitialDelaySeconds(initialDelay)
        .withPeriodSeconds(period)
        .withFailureThreshold(failures)
        .build();
  }

  private static ResourceRequirements resources(AgentSession session, OperatorConfig config) {
    return Optional.ofNullable(sandbox(session).resources())
        .map(r -> new ResourceRequirementsBuilder(r).build())
        .orElseGet(config::defaultRunnerResources);
  }

  private static Optional<ConfigMapKeyRef> cassette(AgentSession session) {
    ModelSpec model = session.getSpec().model();
    return model.provider() == ModelProvider.replay
        ? Optional.ofNullable(model.cassetteRef())
        : Optional.empty();
  }

  private static String cassetteKey(ConfigMapKeyRef ref) {
    return ref.key() == null ? DEFAULT_CASSETTE_KEY : ref.key();
  }

  private static SandboxSpec sandbox(AgentSession session) {
    SandboxSpec sandbox = session.getSpec().sandbox();
    return sandbox != null ? sandbox : SandboxSpec.builder().build();
  }

  private static VolumeMount readOnlyMount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build();
  }

  private static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static void optional(List<EnvVar> env, String name, Object value) {
    if (value != null) {
      env.add(plain(name, String.valueOf(value)));
    }
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}
