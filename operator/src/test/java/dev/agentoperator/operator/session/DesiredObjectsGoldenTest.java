package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files for every desired object: {@code desired/<case>/in-AgentSession.yaml} must produce
 * exactly the {@code out-<Kind>.yaml} files beside it. Run with {@code -Dgolden.update=true} to
 * rewrite them after an intended change, then review the diff.
 */
class DesiredObjectsGoldenTest {

  private static final Path CASES = Path.of("src/test/resources/desired");
  private static final String INPUT = "in-AgentSession.yaml";
  /** Optional: the operator's environment of the case (default: an empty one). */
  private static final String OPERATOR_ENV = "in-operator-env.properties";
  private static final String GATEWAY_TOKEN_OUTPUT = "out-Secret-gateway-token.yaml";
  private static final String FIXED_TOKEN = "golden-token-not-a-secret";
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final String HOW_TO_UPDATE =
      " (after an intended change, regenerate with: ./mvnw -pl operator test"
          + " -Dtest=DesiredObjectsGoldenTest -Dgolden.update=true, then review the diff)";

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @TestFactory
  Stream<DynamicTest> shouldProduceTheGoldenObjectsForEveryCase() {
    return caseDirectories().stream()
        .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
  }

  @Test
  void shouldHaveNoGoldenFileThatNoCaseProduces() {
    assertThat(caseDirectories()).as("golden cases under " + CASES).hasSizeGreaterThanOrEqualTo(4);
    for (Path dir : caseDirectories()) {
      Set<String> expected = new TreeSet<>(outputsOf(dir).keySet());
      expected.add(INPUT);
      expected.add(OPERATOR_ENV);
      assertThat(filesIn(dir))
          .as("files in " + dir + " that no desired object uses" + HOW_TO_UPDATE)
          .isSubsetOf(expected);
      assertThat(filesIn(dir)).as("input of case " + dir).contains(INPUT);
    }
  }

  private void check(Path dir) throws IOException {
    for (Map.Entry<String, HasMetadata> output : outputsOf(dir).entrySet()) {
      Path golden = dir.resolve(output.getKey());
      String actual = serialization.asYaml(output.getValue());
      if (UPDATE) {
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
        continue;
      }
      if (!Files.exists(golden)) {
        fail("missing golden file " + golden + HOW_TO_UPDATE);
      }
      assertThat(actual)
          .as(golden + " differs" + HOW_TO_UPDATE)
          .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
  }

  private Map<String, HasMetadata> outputsOf(Path dir) {
    if (!Files.exists(dir.resolve(INPUT))) {
      return Map.of();
    }
    AgentSession session = read(dir.resolve(INPUT));
    OperatorConfig config = config(dir);
    Map<String, HasMetadata> outputs = new LinkedHashMap<>();
    for (HasMetadata object :
        List.of(
            SandboxPod.desired(session, config),
            WorkspaceClaim.desired(session, config),
            RunnerTokenSecret.desired(session, FIXED_TOKEN),
            SandboxNetworkPolicy.desired(session, config))) {
      outputs.put("out-" + object.getKind() + ".yaml", object);
    }
    if (GatewayTokenSecret.usesGateway(session, config)) {
      outputs.put(GATEWAY_TOKEN_OUTPUT, GatewayTokenSecret.desired(session, FIXED_TOKEN));
    }
    return outputs;
  }

  private static OperatorConfig config(Path dir) {
    Path env = dir.resolve(OPERATOR_ENV);
    if (!Files.exists(env)) {
      return OperatorConfig.defaults();
    }
    Properties properties = new Properties();
    try (var in = Files.newBufferedReader(env)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.forEach((k, v) -> values.put(String.valueOf(k), String.valueOf(v)));
    return OperatorConfig.fromEnv(values);
  }

  private AgentSession read(Path file) {
    try {
      return serialization.unmarshal(Files.readString(file), AgentSession.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> caseDirectories() {
    try (Stream<Path> dirs = Files.list(CASES)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> filesIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return new TreeSet<>(files.map(f -> f.getFileName().toString()).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
