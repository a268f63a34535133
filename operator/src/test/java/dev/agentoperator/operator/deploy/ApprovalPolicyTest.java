package dev.agentoperator.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentoperator.operator.testing.CelJson;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicySpec;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's ValidatingAdmissionPolicy lets only the approving (answering) user write an approval
 * (an answer) in their own name. The policy is read from the rendered chart, so the YAML that
 * ships is what is tested, and its CEL is evaluated with cel-java against recorded admission
 * requests in {@code src/test/resources/admission} (an AdmissionReview each, first line {@code #
 * expect: allowed} or {@code # expect: denied}; files named {@code answer-*} are about {@code
 * spec.answers}). Neither the Fabric8 mock server nor the local cluster runs admission, so no
 * operator or end-to-end test can show this. CEL sees the JSON untyped, as maps and lists ({@link
 * CelJson}, shared with the CRD rule checks); the API server would also type-check it against the
 * CRD's schema.
 */
class ApprovalPolicyTest {

  private static final Path REQUESTS = Path.of("src/test/resources/admission");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<HasMetadata> chart;
  private static ValidatingAdmissionPolicy policy;

  @BeforeAll
  static void renderChart() {
    chart = HelmChartTest.render(Map.of());
    policy = HelmChartTest.only(chart, ValidatingAdmissionPolicy.class);
  }

  static Stream<Path> recordedRequests() throws IOException {
    try (Stream<Path> files = Files.list(REQUESTS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedRequests")
  void shouldDecideEachRecordedRequestAsItsFixtureExpects(Path file) throws Exception {
    String expectation = Files.readAllLines(file).getFirst();
    assertThat(expectation)
        .as("%s starts with '# expect: allowed' or '# expect: denied'", file)
        .matches("# expect: (allowed|denied)\\b.*");
    JsonNode request = YAML.readTree(file.toFile()).path("request");

    Decision decision = admit(request);

    if (expectation.startsWith("# expect: allowed")) {
      assertThat(decision.denials()).as("%s", file).isEmpty();
    } else {
      String user = request.at("/userInfo/username").asText();
      String denial =
          file.getFileName().toString().startsWith("answer-")
              ? "spec.answers[].by must be the answering user ("
                  + user
                  + "); kubectl agent answer fills it in"
              : "spec.approvals[].by must be the approving user ("
                  + user
                  + "); kubectl agent approve fills it in";
      assertThat(decision.denials()).as("%s", file).containsExactly(denial);
    }
  }

  @Test
  void shouldHaveARecordedRequestForEveryCaseThePolicyIsFor() throws IOException {
    assertThat(recordedRequests().map(p -> p.getFileName().toString()))
        .contains(
            "update-approve-as-self.yaml",
            "update-by-someone-else.yaml",
            "update-by-missing.yaml",
            "update-keeps-old-entry-adds-new.yaml",
            "update-changes-anothers-entry.yaml",
            "update-only-cancel.yaml",
            "update-operator-adds-finalizer.yaml",
            "create-approvals-by-self.yaml",
            "create-approvals-by-another.yaml",
            "answer-as-self.yaml",
            "answer-by-someone-else.yaml",
            "answer-by-missing.yaml",
            "answer-keeps-old-entry-adds-new.yaml");
  }

  @Test
  void shouldMatchCreateAndUpdateOfTheMainResourceOnlySoStatusWritesPass() {
    ValidatingAdmissionPolicySpec spec = policy.getSpec();

    assertThat(spec.getFailurePolicy()).isEqualTo("Fail");
    assertThat(spec.getMatchConstraints().getResourceRules())
        .singleElement()
        .satisfies(
            (NamedRuleWithOperations rule) -> {
              assertThat(rule.getApiGroups()).containsExactly("agentoperator.dev");
              assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
              // "agentruns/status" or "agentruns/*" would catch the operator's status writes
              assertThat(rule.getResources()).containsExactly("agentruns");
            });
  }

  @Test
  void shouldBindThePolicyToDenyByDefaultAndLeaveItOutWhenDisabled() {
    ValidatingAdmissionPolicyBinding binding = HelmChartTest.only(chart, ValidatingAdmissionPolicyBinding.class);

    assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(HelmChartTest.render(Map.of("approvalPolicy.enabled", "false")))
        .noneMatch(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"));
  }

  /** The messages of the validations that fail; empty when the request is admitted. */
  record Decision(List<String> denials) {}

  /** Evaluates the policy as the API server does: variables in order, then each validation. */
  private static Decision admit(JsonNode request) throws Exception {
    ObjectNode attributes = request.deepCopy();
    attributes.remove(List.of("object", "oldObject"));
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("object", CelJson.of(request.path("object")));
    vars.put("oldObject", CelJson.of(request.path("oldObject")));
    vars.put("request", CelJson.of(attributes));
    Map<String, Object> variables = new LinkedHashMap<>();
    vars.put("variables", variables);
    for (Variable variable : policy.getSpec().getVariables()) {
      variables.put(variable.getName(), CelJson.evaluate(variable.getExpression(), vars));
    }
    List<String> denials = new ArrayList<>();
    for (Validation validation : policy.getSpec().getValidations()) {
      if (!Boolean.TRUE.equals(CelJson.evaluate(validation.getExpression(), vars))) {
        denials.add(
            validation.getMessageExpression() != null
                ? (String) CelJson.evaluate(validation.getMessageExpression(), vars)
                : validation.getMessage());
      }
    }
    return new Decision(denials);
  }
}
