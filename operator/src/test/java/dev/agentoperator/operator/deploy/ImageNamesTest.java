package dev.agentoperator.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images `-Pimages` builds carry the names a default install asks for: the chart's operator
 * image, the runner image it gives the operator, and the operator's own default runner image. A
 * cluster given those images (kind load, k3d image import) then runs them with no override.
 */
class ImageNamesTest {

  private static final Path PARENT_POM = Path.of("../pom.xml");

  @Test
  void shouldBuildTheImagesADefaultInstallRuns() throws IOException {
    String registry = pomProperty("images.registry");
    String tag = pomProperty("images.tag");
    List<HasMetadata> objects = HelmChartTest.render(Map.of());
    Deployment operator =
        HelmChartTest.operatorObjects(objects).stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    Container container = operator.getSpec().getTemplate().getSpec().getContainers().getFirst();
    String chartRunnerImage =
        container.getEnv().stream()
            .filter(e -> e.getName().equals("AGENT_OPERATOR_RUNNER_IMAGE"))
            .findFirst()
            .orElseThrow()
            .getValue();

    assertThat(container.getImage()).isEqualTo(registry + "/agent-operator:" + tag);
    assertThat(chartRunnerImage).isEqualTo(registry + "/agent-runner:" + tag);
    assertThat(OperatorConfig.DEFAULT_RUNNER_IMAGE).isEqualTo(registry + "/agent-runner:" + tag);
  }

  private static String pomProperty(String name) throws IOException {
    Matcher matcher =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
            .matcher(Files.readString(PARENT_POM));
    assertThat(matcher.find()).as("%s in %s", name, PARENT_POM).isTrue();
    return matcher.group(1).trim();
  }
}
