package dev.agentoperator.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolRegistryTest {

  @TempDir Path workspace;
  @TempDir Path state;

  private final ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults());

  @Test
  void shouldPairEverySchemaFileWithExactlyOneImplementation() throws Exception {
    // given the schema files shipped on the classpath
    Set<String> schemaFiles = new TreeSet<>();
    try (Stream<Path> files = Files.list(schemaDirectory())) {
      files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".json"))
          .forEach(name -> schemaFiles.add(name.substring(0, name.length() - ".json".length())));
    }

    // then the standard registry implements exactly those tools
    assertThat(schemaFiles).isNotEmpty();
    assertThat(registry.names()).containsExactlyInAnyOrderElementsOf(schemaFiles);
  }

  @Test
  void shouldOfferSchemasInOpenAiFunctionForm() {
    List<JsonNode> schemas = registry.schemas();

    assertThat(schemas).hasSize(14);
    for (JsonNode schema : schemas) {
      assertThat(schema.path("type").asText()).isEqualTo("function");
      assertThat(schema.path("function").path("name").asText()).matches("[a-z_]+");
      assertThat(schema.path("function").path("description").asText()).hasSizeGreaterThan(40);
      assertThat(schema.path("function").path("parameters").path("type").asText())
          .isEqualTo("object");
    }
  }

  @Test
  void shouldRejectUnknownToolListingTheKnownOnes() {
    PreparedCall call = registry.prepare("rm_rf", "{}");

    assertThat(call.isValid()).isFalse();
    assertThat(call.toolName()).isEqualTo("rm_rf");
    assertThat(call.rejection().error()).isTrue();
    assertThat(call.rejection().content())
        .contains("unknown tool 'rm_rf'")
        .contains("read_file")
        .contains("shell");
  }

  @Test
  void shouldRejectInvalidJsonArguments() {
    PreparedCall call = registry.prepare("read_file", "{\"path\": \"a.txt\"");

    assertThat(call.isValid()).isFalse();
    assertThat(call.rejection().content()).contains("not valid JSON").contains("read_file");
  }

  @Test
  void shouldRejectTrailingGarbageAfterTheJsonObject() {
    PreparedCall call = registry.prepare("read_file", "{\"path\": \"a.txt\"} {\"x\":1}");

    assertThat(call.isValid()).isFalse();
    assertThat(call.rejection().content()).contains("not valid JSON");
  }

  @Test
  void shouldRejectMissingRequiredArgument() {
    PreparedCall call =
        registry.prepare("edit_file", "{\"path\": \"a.txt\", \"old_string\": \"x\"}");

    assertThat(call.isValid()).isFalse();
    assertThat(call.rejection().content())
        .isEqualTo("invalid arguments for edit_file: argument 'new_string' is required");
  }

  @Test
  void shouldRejectWrongArgumentType() {
    PreparedCall call = registry.prepare("read_file", "{\"path\": \"a.txt\", \"offset\": \"10\"}");

    assertThat(call.isValid()).isFalse();
    assertThat(call.rejection().content())
        .contains("argument 'offset' must be an integer, got a string");
  }

  @Test
  void shouldRejectUnknownArgumentNamingTheKnownOnes() {
    PreparedCall call = registry.prepare("read_file", "{\"path\": \"a.txt\", \"lines\": 5}");

    assertThat(call.rejection().content())
        .contains("argument 'lines' is not accepted")
        .contains("limit, offset, path");
  }

  @Test
  void shouldRejectValueOutsideEnumInNestedItems() {
    PreparedCall call =
        registry.prepare("todo_write", "{\"todos\": [{\"content\": \"a\", \"status\": \"done\"}]}");

    assertThat(call.rejection().content())
        .contains("argument 'todos[0].status' must be one of pending, in_progress, completed");
  }

  @Test
  void shouldRejectArgumentsThatAreNotAnObject() {
    PreparedCall call = registry.prepare("read_file", "[\"a.txt\"]");

    assertThat(call.rejection().content())
        .contains("the arguments must be an object, got an array");
  }

  @Test
  void shouldRejectNumberBelowMinimum() {
    PreparedCall call = registry.prepare("read_file", "{\"path\": \"a\", \"limit\": 0}");

    assertThat(call.rejection().content()).contains("argument 'limit' must be at least 1, got 0");
  }

  @Test
  void shouldTreatBlankArgumentsAsEmptyObject() {
    PreparedCall call = registry.prepare("todo_read", "");

    assertThat(call.isValid()).isTrue();
    assertThat(call.arguments().isEmpty()).isTrue();
  }

  @Test
  void shouldExposeMainArgumentForPolicyMatching() {
    PreparedCall call = registry.prepare("shell", "{\"command\": \"git push origin main\"}");

    assertThat(call.isValid()).isTrue();
    assertThat(call.mainArgument()).isEqualTo("git push origin main");
  }

  @Test
  void shouldReturnRejectionWhenExecutingInvalidCall() throws Exception {
    PreparedCall call = registry.prepare("nope", "{}");

    ToolResult result = registry.execute(call, context());

    assertThat(result).isEqualTo(call.rejection());
  }

  @Test
  void shouldTurnUnexpectedToolFailureIntoErrorNamingTheTool() throws Exception {
    ToolRegistry failing =
        ToolRegistry.of(
            ToolSettings.defaults(), List.of(new FailingTool(new IllegalStateException("boom"))));

    ToolResult result = failing.execute(failing.prepare("list_dir", "{}"), context());

    assertThat(result.error()).isTrue();
    assertThat(result.content())
        .isEqualTo("tool list_dir failed unexpectedly: IllegalStateException: boom");
  }

  @Test
  void shouldPropagateInterruptionFromTool() {
    ToolRegistry interrupted =
        ToolRegistry.of(ToolSettings.defaults(), List.of(new FailingTool(null)));

    assertThatThrownBy(() -> interrupted.execute(interrupted.prepare("list_dir", "{}"), context()))
        .isInstanceOf(InterruptedException.class);
  }

  @Test
  void shouldCapEveryResultAtTheConfiguredSize() throws Exception {
    Files.writeString(workspace.resolve("big.txt"), "x".repeat(5000) + "\n");
    ToolHarness harness =
        ToolHarness.withSettings(
            ToolSettingsBuilder.defaults().resultCapChars(1000).build(), workspace, state);

    ToolResult result = harness.call("read_file", Map.of("path", "big.txt"));

    assertThat(result.content()).hasSizeLessThan(1100).contains("characters cut");
  }

  @Test
  void shouldRefuseSchemaForAnotherToolName() {
    Tool misnamed =
        new FailingTool(null) {
          @Override
          public String name() {
            return "no_such_schema";
          }
        };

    assertThatThrownBy(() -> ToolRegistry.of(ToolSettings.defaults(), List.of(misnamed)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("spec/tools/no_such_schema.json");
  }

  private ToolContext context() {
    return new ToolContext(workspace, state, Set.of());
  }

  private static Path schemaDirectory() throws URISyntaxException {
    URL url = ToolRegistryTest.class.getClassLoader().getResource("spec/tools");
    assertThat(url).as("spec/tools on the classpath").isNotNull();
    return Path.of(url.toURI());
  }

  /** A list_dir stand-in that fails: with the given exception, or by being interrupted. */
  private static class FailingTool implements Tool {
    private final RuntimeException failure;

    FailingTool(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public String name() {
      return "list_dir";
    }

    @Override
    public String mainArgument(JsonNode arguments) {
      return "";
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) throws InterruptedException {
      if (failure == null) {
        throw new InterruptedException("cancelled");
      }
      throw failure;
    }
  }
}
