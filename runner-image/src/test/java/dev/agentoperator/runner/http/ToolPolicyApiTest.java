package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Turn;
import java.nio.file.Files;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tool policy from the attacker's side, through the real HTTP API: the model (scripted) calls
 * tools the policy does not allow, and nothing it asks for runs. The runner fails closed: a request
 * without a policy starts nothing, and an empty policy denies every tool.
 */
class ToolPolicyApiTest {

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  @Test
  void shouldRefuseRunRequestWithoutPolicy() throws Exception {
    // given: a model that would create a marker file if a run ever started
    runner = api.start(
        Turn.call("shell", "{\"command\":\"touch marker\"}"),
        Turn.say("done"));

    // when
    ApiClient.Answer answer = runner.put("/v1/runs/run-1", "{\"prompt\":\"make a marker\"}");

    // then
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").asText())
        .contains("the run request carries no tool policy (field 'tools')")
        .contains("an empty policy ({}) denies every tool");
    assertThat(runner.get("/v1/runs/run-1").status()).isEqualTo(404);
    assertThat(runner.get("/v1/runs").json().path("active").isNull()).isTrue();
    assertThat(Files.exists(runner.stateDir.resolve("runs/run-1"))).isFalse();
    assertThat(api.model().requests()).isZero();
    assertThat(runner.workspace.resolve("marker")).doesNotExist();
  }

  @Test
  void shouldRefuseARunWhosePolicyHasAnUnbalancedBracketAndNameThePattern() throws Exception {
    // given
    runner = api.start(Turn.call("read_file", "{\"path\":\"[\"}"), Turn.say("done"));

    // when
    ApiClient.Answer answer =
        runner.put(
            "/v1/runs/run-1",
            "{\"prompt\":\"read it\",\"tools\":{\"allow\":[\"read_file:[\"]}}");

    // then
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").asText())
        .contains("field 'tools.allow[0]': tool policy pattern 'read_file:[' has a '['");
    assertThat(runner.get("/v1/runs/run-1").status()).isEqualTo(404);
    assertThat(api.model().requests()).isZero();
  }

  @ParameterizedTest(name = "tools: {0}")
  @ValueSource(strings = {"{}", "{\"allow\":[],\"ask\":[],\"deny\":[]}"})
  void shouldDenyShellUnderEmptyPolicyAndRunNothing(String emptyPolicy) throws Exception {
    // given
    runner = api.start(
        Turn.call("shell", "{\"command\":\"touch marker\"}"),
        Turn.call("write_file", "{\"path\":\"marker2\",\"content\":\"owned\"}"),
        Turn.say("I could not."));

    // when
    ApiClient.Answer started =
        runner.put(
            "/v1/runs/run-1", "{\"prompt\":\"make a marker\",\"tools\":" + emptyPolicy + "}");
    runner.awaitPhase("run-1", "Succeeded");

    // then: nothing ran, and the model was told why
    assertThat(started.status()).isEqualTo(201);
    assertThat(runner.workspace.resolve("marker")).doesNotExist();
    assertThat(runner.workspace.resolve("marker2")).doesNotExist();
    assertThat(runner.eventsOf("run-1", "tool.called")).isEmpty();
    assertThat(runner.eventsOf("run-1", "tool.blocked"))
        .hasSize(2)
        .allSatisfy(
            e ->
                assertThat(e.path("data").path("explanation").asText())
                    .contains("the tool policy does not allow")
                    .contains("no tools (none are allowed)"));
    assertThat(api.model().toolMessagesOfLastRequest())
        .hasSize(2)
        .allSatisfy(m -> assertThat(m).contains("The tool policy does not allow this call"));
  }

  @Test
  void shouldNotLetAnExactShellAllowRunAChainedOrLongerCommand() throws Exception {
    // given: a directory the attacker wants gone, and a policy that allows only `git status`
    runner = api.start(
        Turn.call("shell", "{\"command\":\"git status; rm -rf x\"}"),
        Turn.call("shell", "{\"command\":\"git status && rm -rf x\"}"),
        Turn.call("shell", "{\"command\":\"git status\\nrm -rf x\"}"),
        Turn.call("shell", "{\"command\":\"git statusx\"}"),
        Turn.call("shell", "{\"command\":\"git status\"}"),
        Turn.say("done"));
    Files.createDirectories(runner.workspace.resolve("x"));
    Files.writeString(runner.workspace.resolve("x").resolve("keep.txt"), "keep");

    // when
    runner.put(
        "/v1/runs/run-1",
        "{\"prompt\":\"check the repo\",\"tools\":{\"allow\":[\"shell:git status\"]}}");
    runner.awaitPhase("run-1", "Succeeded");

    // then: the four look-alikes were blocked, only the exact command ran
    assertThat(runner.workspace.resolve("x").resolve("keep.txt")).exists();
    assertThat(runner.eventsOf("run-1", "tool.blocked"))
        .extracting(e -> e.path("data").path("argument").asText())
        .containsExactly(
            "git status; rm -rf x",
            "git status && rm -rf x",
            "git status\nrm -rf x",
            "git statusx");
    assertThat(runner.eventsOf("run-1", "tool.called"))
        .extracting(e -> e.path("data").path("argument").asText())
        .containsExactly("git status");
  }

  @Test
  void shouldLetDenyWinOverAllowEverything() throws Exception {
    // given
    runner = api.start(
        Turn.call("shell", "{\"command\":\"rm -rf x\"}"),
        Turn.say("done"));
    Files.createDirectories(runner.workspace.resolve("x"));

    // when
    runner.put(
        "/v1/runs/run-1",
        "{\"prompt\":\"tidy\",\"tools\":{\"allow\":[\"*\"],\"deny\":[\"shell:rm *\"]}}");
    runner.awaitPhase("run-1", "Succeeded");

    // then
    assertThat(runner.workspace.resolve("x")).isDirectory();
    assertThat(runner.eventsOf("run-1", "tool.blocked"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.path("data").path("pattern").asText()).isEqualTo("shell:rm *"));
  }
}
