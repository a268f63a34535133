package dev.agentoperator.contract.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRequestTest {

  // The operator's runner client writes no nulls; an empty list must still reach the runner.
  private static final ObjectMapper NO_NULLS =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  @Test
  void shouldKeepAnEmptyMcpServerListWhenTheRunIsResumed() {
    RunRequest none = request(List.of());

    RunRequest resumed = none.asResume();

    assertThat(resumed.resumeRequested()).isTrue();
    assertThat(resumed.mcpServers()).isEmpty();
    assertThat(request(List.of("docs")).asResume().mcpServers()).containsExactly("docs");
    assertThat(request(null).asResume().mcpServers()).isNull();
  }

  @Test
  void shouldWriteAnEmptyMcpServerListButLeaveOutAnAbsentOne() {
    JsonNode none = NO_NULLS.valueToTree(request(List.of()));
    JsonNode all = NO_NULLS.valueToTree(request(null));

    assertThat(none.path("mcpServers").isArray()).isTrue();
    assertThat(none.path("mcpServers")).isEmpty();
    assertThat(all.has("mcpServers")).isFalse();
  }

  private static RunRequest request(List<String> mcpServers) {
    return new RunRequest(
        "hi", "ns/run", null, null, null, RunRequest.Tools.denyAll(), null, null, mcpServers);
  }
}
