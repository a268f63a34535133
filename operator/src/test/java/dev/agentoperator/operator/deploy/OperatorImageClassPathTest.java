package dev.agentoperator.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.OperatorMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The operator image (Jib: this module's classes and its compile and runtime dependencies) starts
 * {@link OperatorMain} and holds no local-cluster machinery. The enforcer rule in this module's
 * pom bans the mock server and its Vert.x/Netty from those scopes; this test checks the classes
 * and the pom that rule relies on.
 */
class OperatorImageClassPathTest {

  private static final Path POM = Path.of("pom.xml");
  private static final Path CLASSES = Path.of("target", "classes");

  /** Class-name prefixes (as in a class file's constant pool) the image must not reference. */
  private static final List<String> LOCAL_CLUSTER_ONLY = List.of(
      "dev/agentoperator/operator/dev/",
      "io/fabric8/kubernetes/client/server/mock/",
      "io/fabric8/mockwebserver/",
      "io/vertx/",
      "io/netty/");

  @Test
  void shouldStartOperatorMainInTheImage() throws Exception {
    Element jib = plugin(pom(), "jib-maven-plugin");

    assertThat(text(jib, "mainClass")).isEqualTo(OperatorMain.class.getName());
  }

  @Test
  void shouldKeepTheMockServerOutOfTheCompileAndRuntimeScopes() throws Exception {
    Element mock = dependency(pom(), "kubernetes-server-mock");

    assertThat(text(mock, "scope")).isEqualTo("test");
    assertThat(plugin(pom(), "maven-enforcer-plugin").getTextContent())
        .contains("io.fabric8:kubernetes-server-mock:*:*:compile", "io.vertx:*:*:*:runtime");
  }

  @Test
  void shouldCompileNoClassThatReferencesTheLocalClusterOrTheMockServer() throws IOException {
    List<Path> classes;
    try (Stream<Path> files = Files.walk(CLASSES)) {
      classes = files.filter(f -> f.toString().endsWith(".class")).toList();
    }
    List<String> offenders = new ArrayList<>();
    for (Path file : classes) {
      String constants = new String(read(file), StandardCharsets.ISO_8859_1);
      LOCAL_CLUSTER_ONLY.stream().filter(constants::contains)
          .forEach(prefix -> offenders.add(CLASSES.relativize(file) + " -> " + prefix));
    }

    assertThat(classes).as("compiled operator classes in %s", CLASSES).hasSizeGreaterThan(50);
    assertThat(offenders).isEmpty();
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Document pom() throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
  }

  private static Element plugin(Document pom, String artifactId) {
    return withArtifactId(pom.getElementsByTagName("plugin"), artifactId);
  }

  private static Element dependency(Document pom, String artifactId) {
    return withArtifactId(pom.getElementsByTagName("dependency"), artifactId);
  }

  private static Element withArtifactId(NodeList elements, String artifactId) {
    for (int i = 0; i < elements.getLength(); i++) {
      Element element = (Element) elements.item(i);
      if (artifactId.equals(text(element, "artifactId"))) {
        return element;
      }
    }
    throw new AssertionError("no " + artifactId + " in " + POM.toAbsolutePath());
  }

  private static String text(Element parent, String tag) {
    NodeList found = parent.getElementsByTagName(tag);
    return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
  }
}
