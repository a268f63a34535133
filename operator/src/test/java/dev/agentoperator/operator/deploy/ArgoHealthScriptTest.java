package dev.agentoperator.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health scripts as Argo CD does (the object as a Lua table in {@code obj}, the
 * script returns {status, message}) against recorded statuses of every phase.
 */
class ArgoHealthScriptTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path SCRIPTS = HelmChartTest.CHART.resolve("argocd");

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (String kind : List.of("agentrun", "agentsession")) {
      try (InputStream in = ArgoHealthScriptTest.class.getResourceAsStream("/health/" + kind + "-cases.yaml")) {
        for (JsonNode c : YAML.readTree(in)) {
          cases.add(Arguments.of(kind, c.get("name").asText(), c));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void shouldReportTheHealthArgoCdShouldShow(String kind, String name, JsonNode recorded)
      throws IOException {
    LuaTable health = runHealthScript(SCRIPTS.resolve(kind + "-health.lua"), recorded.get("object"));

    assertThat(health.get("status").tojstring()).isEqualTo(recorded.get("expect").asText());
    assertThat(health.get("message").isstring()).as("a message for the Argo CD UI").isTrue();
    if (recorded.has("message")) {
      assertThat(health.get("message").tojstring()).contains(recorded.get("message").asText());
    }
  }

  static LuaTable runHealthScript(Path script, JsonNode object) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(object));
    LuaValue result = globals.load(Files.readString(script), script.getFileName().toString()).call();
    return result.checktable();
  }

  private static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.fields().forEachRemaining(e -> table.set(e.getKey(), toLua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.asLong());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }
}
