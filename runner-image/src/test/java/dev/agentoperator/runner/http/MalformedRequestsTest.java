package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.contract.runner.RunnerApiLimits;
import dev.agentoperator.testing.model.Turn;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MalformedRequestsTest {

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  @BeforeEach
  void start() throws Exception {
    runner = api.start(Turn.say("done"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          not JSON                 | {"prompt": "x"            | not valid JSON
          empty body               |                            | body is empty
          an array                 | ["prompt"]                 | must be a JSON object
          missing prompt           | {"runName": "a/b"}         | 'prompt' is required
          blank prompt             | {"prompt": "   "}          | 'prompt' is required
          prompt of wrong type     | {"prompt": 42}             | field 'prompt' has an invalid value: a string expected
          unknown field            | {"prompt": "x", "promt": 1} | unknown field 'promt'
          nested unknown field     | {"prompt": "x", "limits": {"steps": 3}} | unknown field 'limits.steps'
          limit of wrong type      | {"prompt": "x", "limits": {"maxSteps": "ten"}} | field 'limits.maxSteps'
          fractional limit         | {"prompt": "x", "limits": {"maxSteps": 1.5}} | field 'limits.maxSteps'
          limit below minimum      | {"prompt": "x", "limits": {"maxSteps": 0}} | 'limits.maxSteps' must be at least 1
          temperature out of range | {"prompt": "x", "model": {"temperature": 3}} | between 0 and 2
          resume not a boolean     | {"prompt": "x", "resume": "yes"} | field 'resume'
          malformed snapshot id    | {"prompt": "x", "restoreSnapshot": "HEAD~1"} | 'restoreSnapshot'
          tool pattern not text    | {"prompt": "x", "tools": {"allow": [1]}} | field 'tools.allow[0]'
          trailing garbage         | {"prompt": "x"} {}          | not valid JSON
          no tool policy           | {"prompt": "x"}             | carries no tool policy (field 'tools')
          null tool policy         | {"prompt": "x", "tools": null} | carries no tool policy (field 'tools')
          """)
  void shouldRefuseAMalformedStartWith400SayingWhatIsWrong(
      String caseName, String body, String expected) {
    // when
    ApiClient.Answer answer = runner.put("/v1/runs/run-1", body == null ? "" : body);

    // then
    assertThat(answer.status()).as(caseName).isEqualTo(400);
    assertThat(answer.json().path("error").asText()).as(caseName).contains(expected);
    assertThat(Files.exists(runner.stateDir.resolve("runs/run-1"))).isFalse();
    assertThat(runner.send(runner.unauthenticated("/healthz").GET()).status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          uid with underscore   | /v1/runs/run_1                          | run uid must be
          uid too long          | /v1/runs/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | run uid must be
          negative after        | /v1/runs/run-1/events?after=-1          | 'after' must be between 0
          wait over a minute    | /v1/runs/run-1/events?wait=61           | 'wait' must be between 0 and 60
          limit not a number    | /v1/runs/run-1/events?limit=all         | 'limit' must be a whole number
          """)
  void shouldRefuseMalformedPathsAndQueriesWith400(String caseName, String path, String expected) {
    // when
    ApiClient.Answer answer = runner.get(path);

    // then
    assertThat(answer.status()).as(caseName).isEqualTo(400);
    assertThat(answer.json().path("error").asText()).as(caseName).contains(expected);
  }

  @Test
  void shouldRefuseAMalformedApprovalWith400() {
    // given
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"x\"}"));

    // when
    ApiClient.Answer badDecision =
        runner.post("/v1/runs/run-1/approvals", "{\"id\":\"a\",\"decision\":\"maybe\"}");
    ApiClient.Answer noId = runner.post("/v1/runs/run-1/approvals", "{\"decision\":\"approve\"}");

    // then
    assertThat(badDecision.status()).isEqualTo(400);
    assertThat(badDecision.json().path("error").asText()).contains("'approve' or 'deny'");
    assertThat(noId.status()).isEqualTo(400);
    assertThat(noId.json().path("error").asText()).contains("'id' is required");
  }

  @Test
  void shouldRefuseAnOversizedBodyAndAWrongMethodWithoutHarm() {
    // when
    ApiClient.Answer huge =
        runner.put("/v1/runs/run-1", "{\"prompt\":\"" + "x".repeat(1_100_000) + "\"}");
    ApiClient.Answer wrongMethod = runner.send(runner.request("/v1/runs/run-1").DELETE());
    ApiClient.Answer unknownPath = runner.get("/v1/nothing-here");

    // then
    assertThat(huge.status()).isEqualTo(400);
    assertThat(huge.json().path("error").asText()).contains("larger than 1 MiB");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(unknownPath.status()).isEqualTo(404);
    assertThat(
            runner
                .put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"x\"}"))
                .status())
        .isEqualTo(201);
  }

  @Test
  void shouldRefuseAPromptLongerThanTheContractAllows() {
    // when
    ApiClient.Answer answer =
        runner.send(
            runner
                .request("/v1/runs/run-1")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"prompt\":\"" + "y".repeat(RunnerApiLimits.PROMPT_MAX_CHARS + 1) + "\"}")));

    // then
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").asText()).contains("at most 65536");
  }
}
