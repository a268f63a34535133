package dev.agentoperator.contract.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-written records against the spec: every schema property has a record component of the
 * matching name and type and vice versa; a primitive component (which cannot say "absent") only
 * for a property the spec requires or gives a default; phases, event types, event payloads and
 * environment variables as the spec lists them.
 */
class RunnerApiDriftTest {

  private static final Path SPEC = Path.of("../../spec");
  private static JsonNode api;

  @BeforeAll
  static void readSpec() throws IOException {
    api = new ObjectMapper(new YAMLFactory()).readTree(SPEC.resolve("runner-api.yaml").toFile());
  }

  @Test
  void shouldMatchEveryRequestAndAnswerSchema() {
    Map<String, Class<?>> records =
        Map.of(
            "RunRequest", RunRequest.class,
            "RunSummary", RunSummary.class,
            "RunList", RunList.class,
            "EventList", EventList.class,
            "Event", RunEvent.class,
            "ApprovalDecision", ApprovalDecision.class,
            "QuestionAnswer", QuestionAnswer.class,
            "Error", ApiError.class);
    List<String> problems = new ArrayList<>();
    records.forEach((schema, type) -> compare(schema, schema(schema), type, problems));

    assertThat(problems).isEmpty();
  }

  @Test
  void shouldCheckTheSchemasThatTheRecordsDoNotNameDirectly() {
    // ToolPolicy, Usage, PendingApproval, ... are reached through $ref from the ones above; a
    // record no schema reaches would be unchecked, so each is listed here with its schema.
    List<String> problems = new ArrayList<>();
    compare("ToolPolicy", schema("ToolPolicy"), RunRequest.Tools.class, problems);
    compare("Usage", schema("Usage"), Usage.class, problems);
    compare("PendingApproval", schema("PendingApproval"), RunSummary.PendingApproval.class, problems);
    compare("PendingQuestion", schema("PendingQuestion"), RunSummary.PendingQuestion.class, problems);

    assertThat(problems).isEmpty();
  }

  @Test
  void shouldWriteNoFieldBesideTheRecordComponents() {
    // A bean-style accessor (isFinished(), getX()) would put a field on the wire that no schema has.
    List<Class<?>> records =
        List.of(
            RunRequest.class,
            RunRequest.Tools.class,
            RunSummary.class,
            RunSummary.Result.class,
            Usage.class,
            RunEvent.class,
            EventList.class,
            RunList.class,
            ApprovalDecision.class,
            QuestionAnswer.class,
            ApiError.class);
    ObjectMapper json = new ObjectMapper();
    for (Class<?> record : records) {
      Set<String> written = new HashSet<>();
      json.valueToTree(instanceOf(record)).fieldNames().forEachRemaining(written::add);

      assertThat(written).as(record.getSimpleName()).isEqualTo(componentNames(record));
    }
    for (Class<? extends EventData> record : EventData.types().values()) {
      Set<String> written = new HashSet<>();
      json.valueToTree(instanceOf(record)).fieldNames().forEachRemaining(written::add);

      assertThat(written).as(record.getSimpleName()).isEqualTo(componentNames(record));
    }
  }

  @Test
  void shouldListThePhasesOfTheSpec() {
    assertThat(Arrays.stream(RunPhase.values()).map(Enum::name).toList())
        .containsExactlyElementsOf(texts(schema("Phase").path("enum")));
  }

  @Test
  void shouldListTheEventTypesOfTheSpec() {
    assertThat(EventType.ALL)
        .containsExactlyElementsOf(texts(schema("Event").path("properties").path("type").path("enum")));
    assertThat(EventData.types().keySet()).containsExactlyInAnyOrderElementsOf(EventType.ALL);
    EventData.types()
        .forEach(
            (type, record) -> {
              if (record != EventData.RunEnded.class) {
                assertThat(instanceOf(record).type()).isEqualTo(type);
              }
            });
    assertThat(EventData.ended(RunPhase.Failed, "x", "y", 0, 0, Usage.ZERO).type())
        .isEqualTo(EventType.RUN_FAILED);
    assertThat(EventData.ended(RunPhase.Cancelled, "x", "y", 0, 0, Usage.ZERO).type())
        .isEqualTo(EventType.RUN_CANCELLED);
  }

  @Test
  void shouldGiveEachEventPayloadTheFieldsBothSpecsDocument() throws IOException {
    Map<String, Set<String>> documented = eventsMarkdownFields();
    Map<String, Set<String>> promised = runnerApiEventFields();
    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(EventType.ALL);
    List<String> problems = new ArrayList<>();
    for (String type : EventType.ALL) {
      Set<String> components = componentNames(EventData.types().get(type));
      Set<String> union = new TreeSetOf(documented.get(type)).plus(promised.getOrDefault(type, Set.of()));
      if (!components.equals(union)) {
        problems.add(type + ": record has " + components + ", the specs document " + union);
      }
    }

    assertThat(problems).isEmpty();
  }

  @Test
  void shouldNameEveryVariableOfTheRunnerEnvironment() throws IOException {
    Set<String> documented = new HashSet<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `(AGENT_[A-Z_]+)` \\|")
            .matcher(Files.readString(SPEC.resolve("runner-env.md")));
    while (row.find()) {
      documented.add(row.group(1));
    }
    Set<String> named = new HashSet<>();
    for (var field : RunnerEnv.class.getFields()) {
      try {
        named.add((String) field.get(null));
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }

    assertThat(named).isNotEmpty().isEqualTo(documented);
  }

  // --- schema against record ---

  private static void compare(String where, JsonNode schema, Class<?> type, List<String> problems) {
    schema = resolve(schema);
    if (!type.isRecord()) {
      problems.add(where + ": " + type.getSimpleName() + " is not a record");
      return;
    }
    Set<String> properties = new LinkedHashSet<>();
    schema.path("properties").fieldNames().forEachRemaining(properties::add);
    Set<String> required = new HashSet<>(texts(schema.path("required")));
    Set<String> components = componentNames(type);
    if (!properties.equals(components)) {
      problems.add(
          where + ": properties " + properties + " but " + type.getSimpleName() + " has " + components);
    }
    for (String name : required) {
      if (!properties.contains(name)) {
        problems.add(where + ": requires " + name + ", which it does not define");
      }
    }
    for (RecordComponent component : type.getRecordComponents()) {
      JsonNode property = schema.path("properties").path(component.getName());
      if (property.isMissingNode()) {
        continue;
      }
      String at = where + "." + component.getName();
      if (component.getType().isPrimitive()
          && !required.contains(component.getName())
          && !resolve(property).has("default")) {
        problems.add(at + ": primitive " + component.getType() + " for an optional property with no default");
      }
      compareType(at, property, component.getGenericType(), problems);
    }
  }

  private static void compareType(String at, JsonNode property, Type java, List<String> problems) {
    JsonNode schema = resolve(property);
    Class<?> raw = raw(java);
    String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
    boolean int64 = "int64".equals(schema.path("format").asText());
    boolean matches =
        switch (type) {
          case "string" -> raw == String.class;
          case "integer" ->
              int64 ? raw == long.class || raw == Long.class : raw == int.class || raw == Integer.class;
          case "number" -> raw == double.class || raw == Double.class;
          case "boolean" -> raw == boolean.class || raw == Boolean.class;
          case "array" -> raw == List.class;
          case "object" -> schema.has("properties") ? raw.isRecord() : raw == JsonNode.class;
          default -> false;
        };
    if (!matches) {
      problems.add(at + ": spec says " + describe(schema) + ", record has " + java.getTypeName());
      return;
    }
    if (type.equals("array")) {
      Type item = ((ParameterizedType) java).getActualTypeArguments()[0];
      compareType(at + "[]", schema.path("items"), item, problems);
    } else if (type.equals("object") && schema.has("properties")) {
      compare(at, schema, raw, problems);
    }
  }

  private static JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    return ref.isEmpty() ? schema : schema(ref.substring(ref.lastIndexOf('/') + 1));
  }

  private static JsonNode schema(String name) {
    JsonNode schema = api.path("components").path("schemas").path(name);
    assertThat(schema.isMissingNode()).as("schema %s in runner-api.yaml", name).isFalse();
    return schema;
  }

  private static String describe(JsonNode schema) {
    return schema.path("type").asText("?")
        + (schema.has("format") ? " (" + schema.path("format").asText() + ")" : "");
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }

  private static Set<String> componentNames(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .map(RecordComponent::getName)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static <T> T instanceOf(Class<T> record) {
    try {
      RecordComponent[] components = record.getRecordComponents();
      Object[] args = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        args[i] = defaultOf(types[i]);
      }
      return record.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object defaultOf(Class<?> type) {
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == boolean.class) {
      return false;
    }
    return null;
  }

  // --- the event payloads the two documents describe ---

  private static final Set<String> TOOL_FIELDS = Set.of("step", "callId", "tool", "argument");
  private static final Set<String> FINAL_FIELDS =
      Set.of(
          "phase", "reason", "message", "steps", "toolCalls", "inputTokens", "outputTokens",
          "totalTokens");

  /** spec/events.md: the names before the first top-level ";" of each row's data cell. */
  private static Map<String, Set<String>> eventsMarkdownFields() throws IOException {
    Map<String, Set<String>> fields = new TreeMap<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `([a-z_]+(?:\\.[a-z_]+)+)` \\| (.*) \\|$")
            .matcher(Files.readString(SPEC.resolve("events.md")));
    while (row.find()) {
      Set<String> names = new HashSet<>();
      String cell = row.group(2);
      int depth = 0;
      for (int i = 0; i < cell.length(); i++) {
        char c = cell.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        } else if (c == ';' && depth == 0) {
          break;
        } else if (c == '`' && depth == 0) {
          int end = cell.indexOf('`', i + 1);
          String name = cell.substring(i + 1, end);
          if (Character.isLowerCase(name.charAt(0))) {
            names.add(name);
          }
          i = end;
        }
      }
      if (cell.startsWith("tool fields")) {
        names.addAll(TOOL_FIELDS);
      }
      if (cell.startsWith("final fields")) {
        names.addAll(FINAL_FIELDS);
      }
      fields.put(row.group(1), names);
    }
    return fields;
  }

  /** spec/runner-api.yaml, {@code Event.description}: "* `type` {name, name: what, ...}". */
  private static Map<String, Set<String>> runnerApiEventFields() {
    Map<String, Set<String>> fields = new TreeMap<>();
    Matcher line =
        Pattern.compile("(?m)^\\* `([a-z_.]+)` \\{([^}]*)\\}")
            .matcher(schema("Event").path("description").asText());
    Pattern name = Pattern.compile("^\\s*([A-Za-z]+)\\s*(?::.*)?$");
    while (line.find()) {
      Set<String> names = new HashSet<>();
      for (String part : line.group(2).split(",")) {
        Matcher m = name.matcher(part);
        if (m.matches()) {
          names.add(m.group(1));
        }
      }
      fields.put(line.group(1), names);
    }
    return fields;
  }

  /** A sorted set that reads as a union. */
  private static final class TreeSetOf extends java.util.TreeSet<String> {
    TreeSetOf(Set<String> first) {
      super(first);
    }

    TreeSetOf plus(Set<String> more) {
      addAll(more);
      return this;
    }
  }
}
