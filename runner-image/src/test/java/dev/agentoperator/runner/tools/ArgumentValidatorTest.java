package dev.agentoperator.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ArgumentValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldRefuseSchemaUsingKeywordItCannotCheck() throws Exception {
    JsonNode schema =
        JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"x+\"}}}");

    assertThatThrownBy(() -> ArgumentValidator.forSchema(schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported keyword 'pattern'")
        .hasMessageContaining("parameters.a");
  }

  @Test
  void shouldAcceptWholeNumberWrittenAsDecimalForInteger() throws Exception {
    ArgumentValidator validator =
        ArgumentValidator.forSchema(
            JSON.readTree("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}"));

    assertThat(validator.problems(JSON.readTree("{\"n\": 3.0}"))).isEmpty();
    assertThat(validator.problems(JSON.readTree("{\"n\": 3.5}")))
        .containsExactly("argument 'n' must be an integer, got a number");
  }

  @Test
  void shouldReportEveryProblemNotOnlyTheFirst() throws Exception {
    ArgumentValidator validator =
        ArgumentValidator.forSchema(
            JSON.readTree(
                "{\"type\":\"object\",\"required\":[\"a\",\"b\"],\"additionalProperties\":false,"
                    + "\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"boolean\"}}}"));

    assertThat(validator.problems(JSON.readTree("{\"a\": 1, \"c\": true}")))
        .containsExactlyInAnyOrder(
            "argument 'b' is required",
            "argument 'a' must be a string, got an integer",
            "argument 'c' is not accepted; known arguments: a, b");
  }

  @Test
  void shouldCheckArrayLengthBounds() throws Exception {
    ArgumentValidator validator =
        ArgumentValidator.forSchema(
            JSON.readTree(
                "{\"type\":\"object\",\"properties\":{\"xs\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"string\"}}}}"));

    assertThat(validator.problems(JSON.readTree("{\"xs\": []}")))
        .containsExactly("argument 'xs' must have at least 1 item(s), got 0");
    assertThat(validator.problems(JSON.readTree("{\"xs\": [\"a\", 2]}")))
        .containsExactly("argument 'xs[1]' must be a string, got an integer");
  }
}
