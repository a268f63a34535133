package dev.agentoperator.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentoperator.operator.run.RunValidator;
import dev.agentoperator.operator.session.SessionValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a real API server would do with our YAML: every example is accepted by the generated CRDs,
 * and every entry of the invalid catalogue ({@code src/test/resources/invalid}) is rejected with
 * the message its {@code # expect:} line names.
 */
class ResourceValidationTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path EXAMPLES = Path.of("../examples");
  private static final Path INVALID = Path.of("src/test/resources/invalid");

  /** Resources the CRD accepts and the operator's own validation rejects (Accepted=False). */
  private static final Path INVALID_FOR_OPERATOR = Path.of("src/test/resources/invalid-operator");

  private static Map<String, CrdSchemaValidator> validators;

  @BeforeAll
  static void loadCrds() throws IOException {
    validators =
        Map.of(
            "AgentRun",
            CrdSchemaValidator.fromCrd(Path.of("../crds/agentruns.agentoperator.dev-v1.yaml")),
            "AgentSession",
            CrdSchemaValidator.fromCrd(Path.of("../crds/agentsessions.agentoperator.dev-v1.yaml")));
  }

  static Stream<Path> examples() throws IOException {
    return yamlFiles(EXAMPLES);
  }

  static Stream<Path> invalidResources() throws IOException {
    return yamlFiles(INVALID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void shouldAcceptEveryExample(Path example) throws IOException {
    List<JsonNode> documents = documents(example);
    assertThat(documents).as("documents in %s", example).isNotEmpty();

    for (JsonNode document : documents) {
      String kind = document.path("kind").asText();
      assertThat(document.at("/metadata/name").asText())
          .as("%s: every object has a fixed name (GitOps tools cannot apply generateName)", example)
          .isNotBlank();
      if (validators.containsKey(kind)) {
        assertThat(validators.get(kind).validateCreate(document)).as("%s %s", example, kind).isEmpty();
      }
      HasMetadata typed = Serialization.unmarshal(YAML.writeValueAsString(document));
      assertThat(typed.getKind()).as("%s parses into its Kubernetes type", example).isEqualTo(kind);
    }
  }

  static Stream<Path> invalidForOperator() throws IOException {
    return yamlFiles(INVALID_FOR_OPERATOR);
  }

  @Test
  void shouldHaveACatalogueOfAtLeastFortyInvalidResources() throws IOException {
    assertThat(invalidResources().count() + invalidForOperator().count())
        .isGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidForOperator")
  void shouldLetTheOperatorRejectWhatTheSchemaCannotExpress(Path file) throws IOException {
    String expected = expectation(file);
    JsonNode document = documents(file).getFirst();
    String kind = document.path("kind").asText();
    assertThat(validators.get(kind).validateCreate(document))
        .as("%s passes the CRD: it is the operator's to reject", file)
        .isEmpty();

    String yaml = YAML.writeValueAsString(document);
    List<String> problems =
        switch (kind) {
          case "AgentSession" ->
              SessionValidator.problems(Serialization.unmarshal(yaml, AgentSession.class).getSpec());
          case "AgentRun" -> {
            AgentRun run = Serialization.unmarshal(yaml, AgentRun.class);
            run.getMetadata().setNamespace("agents");
            yield new RunValidator(NOTHING_EXISTS).problems(run, null);
          }
          default -> throw new IllegalStateException("unexpected kind " + kind);
        };

    assertThat(problems).as("problems of %s", file).anySatisfy(p -> assertThat(p).contains(expected));
  }

  private static final RunValidator.References NOTHING_EXISTS =
      new RunValidator.References() {
        @Override
        public boolean secretExists(String namespace, String name) {
          return false;
        }

        @Override
        public boolean configMapExists(String namespace, String name) {
          return false;
        }
      };

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void shouldRejectInvalidResourceWithAMessageSayingWhatToFix(Path file) throws IOException {
    String expected = expectation(file);
    List<JsonNode> documents = documents(file);
    CrdSchemaValidator validator = validators.get(documents.getLast().path("kind").asText());

    List<String> errors;
    if (documents.size() == 2) {
      assertThat(validator.validateCreate(documents.getFirst()))
          .as("the stored object of an update case must itself be valid")
          .isEmpty();
      errors = validator.validateUpdate(documents.getFirst(), documents.getLast());
    } else {
      errors = validator.validateCreate(documents.getFirst());
    }

    assertThat(errors).as("errors for %s", file).anySatisfy(e -> assertThat(e).contains(expected));
  }

  @Test
  void shouldAllowCancelAndApprovalsToChangeAfterCreation() throws IOException {
    JsonNode stored = documents(EXAMPLES.resolve("run-approval.yaml")).getFirst();
    ObjectNode updated = stored.deepCopy();
    ObjectNode spec = (ObjectNode) updated.get("spec");
    spec.put("cancel", true);
    ArrayNode approvals = spec.putArray("approvals");
    approvals.addObject().put("id", "a1").put("decision", "deny").put("reason", "not on Friday");

    assertThat(validators.get("AgentRun").validateUpdate(stored, updated)).isEmpty();
  }

  @Test
  void shouldAllowAppendingAnApprovalBehindEarlierOnesLeftAsTheyWere() throws IOException {
    ObjectNode stored = (ObjectNode) documents(EXAMPLES.resolve("run-approval.yaml")).getFirst();
    ((ObjectNode) stored.get("spec"))
        .putArray("approvals")
        .addObject()
        .put("id", "a1")
        .put("decision", "approve")
        .put("by", "alice");
    ObjectNode updated = stored.deepCopy();
    ((ArrayNode) updated.at("/spec/approvals"))
        .addObject()
        .put("id", "a2")
        .put("decision", "deny")
        .put("reason", "not yet")
        .put("by", "bob");

    assertThat(validators.get("AgentRun").validateUpdate(stored, updated)).isEmpty();
  }

  @Test
  void shouldAllowAppendingAnAnswerButNotChangingOrRemovingOne() throws IOException {
    ObjectNode stored = (ObjectNode) documents(EXAMPLES.resolve("run-question.yaml")).getLast();
    ((ObjectNode) stored.get("spec"))
        .putArray("answers")
        .addObject()
        .put("id", "question-1-1")
        .put("answer", "formal");
    ObjectNode appended = stored.deepCopy();
    ((ArrayNode) appended.at("/spec/answers"))
        .addObject()
        .put("id", "question-3-1")
        .put("answer", "yes");
    ObjectNode changed = stored.deepCopy();
    ((ObjectNode) changed.at("/spec/answers/0")).put("answer", "casual");
    ObjectNode removed = stored.deepCopy();
    ((ObjectNode) removed.get("spec")).putArray("answers");
    ObjectNode duplicated = appended.deepCopy();
    ((ObjectNode) duplicated.at("/spec/answers/1")).put("id", "question-1-1");

    var validator = validators.get("AgentRun");
    assertThat(validator.validateUpdate(stored, appended)).isEmpty();
    assertThat(validator.validateUpdate(stored, changed))
        .anySatisfy(e -> assertThat(e).contains("spec.answers is append-only"));
    assertThat(validator.validateUpdate(stored, removed))
        .anySatisfy(e -> assertThat(e).contains("spec.answers is append-only"));
    assertThat(validator.validateUpdate(stored, duplicated))
        .anySatisfy(e -> assertThat(e).contains("spec.answers[].id must be unique"));
  }

  private static String expectation(Path file) throws IOException {
    String first = Files.readAllLines(file).getFirst();
    assertThat(first).as("%s starts with '# expect: <message>'", file).startsWith("# expect: ");
    return first.substring("# expect: ".length()).trim();
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return it.readAll().stream().filter(d -> d != null && !d.isEmpty()).toList();
    }
  }

  private static Stream<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }
}
