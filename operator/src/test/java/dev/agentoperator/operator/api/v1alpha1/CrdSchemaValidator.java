package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentoperator.operator.testing.CelJson;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates objects against a CRD's OpenAPI v3 structural schema and its CEL rules the way an API
 * server does, so that tests prove what a real cluster would reject. The Fabric8 mock server
 * validates nothing, hence this. Messages follow the API server's wording closely enough that a
 * user recognises them: {@code spec.limits.maxSteps: Invalid value: -1: should be greater than or
 * equal to 1}. Unknown fields are errors, as with {@code kubectl apply} (strict field validation).
 */
final class CrdSchemaValidator {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String kind;
  private final JsonNode schema;

  private CrdSchemaValidator(String kind, JsonNode schema) {
    this.kind = kind;
    this.schema = schema;
  }

  /** Reads the single served version's schema from a generated CRD file. */
  static CrdSchemaValidator fromCrd(Path crdFile) throws IOException {
    JsonNode crd = YAML.readTree(crdFile.toFile());
    String kind = crd.at("/spec/names/kind").asText();
    return new CrdSchemaValidator(kind, crd.at("/spec/versions/0/schema/openAPIV3Schema"));
  }

  String kind() {
    return kind;
  }

  /** Errors for creating {@code object}; empty when the API server would accept it. */
  List<String> validateCreate(JsonNode object) {
    return validate(object, null);
  }

  /** Errors for replacing {@code oldObject} by {@code object}, transition rules included. */
  List<String> validateUpdate(JsonNode oldObject, JsonNode object) {
    return validate(object, oldObject);
  }

  private List<String> validate(JsonNode object, JsonNode oldObject) {
    List<String> errors = new ArrayList<>();
    ObjectNode checked = object.deepCopy();
    // apiVersion, kind and metadata are validated by the API server itself, not by the CRD schema.
    checked.remove(List.of("apiVersion", "kind", "metadata"));
    ObjectNode oldChecked = oldObject == null ? null : oldObject.deepCopy();
    if (oldChecked != null) {
      oldChecked.remove(List.of("apiVersion", "kind", "metadata"));
    }
    check("", checked, oldChecked, schema, errors);
    return errors;
  }

  private void check(String path, JsonNode value, JsonNode old, JsonNode s, List<String> errors) {
    if (value == null || value.isNull()) {
      return;
    }
    if (!hasType(value, s)) {
      errors.add(
          "%s: Invalid value: %s: %s in body must be of type %s: %s"
              .formatted(name(path), quote(value), name(path), s.path("type").asText(), typeOf(value)));
      return;
    }
    checkEnum(path, value, s, errors);
    checkBounds(path, value, s, errors);
    if (value.isObject()) {
      checkObject(path, value, old, s, errors);
    } else if (value.isArray()) {
      JsonNode items = s.path("items");
      for (int i = 0; i < value.size(); i++) {
        JsonNode oldItem = old != null && old.isArray() && i < old.size() ? old.get(i) : null;
        check(path + "[" + i + "]", value.get(i), oldItem, items, errors);
      }
    }
    checkRules(path, value, old, s, errors);
  }

  private void checkObject(
      String path, JsonNode value, JsonNode old, JsonNode s, List<String> errors) {
    for (JsonNode required : s.path("required")) {
      JsonNode field = value.get(required.asText());
      if (field == null || field.isNull()) {
        errors.add(child(path, required.asText()) + ": Required value");
      }
    }
    JsonNode properties = s.path("properties");
    JsonNode additional = s.path("additionalProperties");
    boolean preserveUnknown = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String childPath = child(path, field.getKey());
      JsonNode oldField = old != null ? old.get(field.getKey()) : null;
      if (properties.has(field.getKey())) {
        check(childPath, field.getValue(), oldField, properties.get(field.getKey()), errors);
      } else if (additional.isObject()) {
        check(childPath, field.getValue(), oldField, additional, errors);
      } else if (!preserveUnknown) {
        errors.add("unknown field \"" + childPath + "\"");
      }
    }
  }

  private void checkEnum(String path, JsonNode value, JsonNode s, List<String> errors) {
    JsonNode allowed = s.path("enum");
    if (!allowed.isArray() || allowed.isEmpty()) {
      return;
    }
    for (JsonNode candidate : allowed) {
      if (candidate.equals(value)) {
        return;
      }
    }
    List<String> quoted = new ArrayList<>();
    allowed.forEach(a -> quoted.add(quote(a)));
    errors.add(
        "%s: Unsupported value: %s: supported values: %s"
            .formatted(name(path), quote(value), String.join(", ", quoted)));
  }

  private void checkBounds(String path, JsonNode value, JsonNode s, List<String> errors) {
    String at = name(path);
    String prefix = at + ": Invalid value: " + quote(value) + ": " + at + " in body ";
    if (value.isNumber()) {
      if (s.has("minimum") && value.asDouble() < s.get("minimum").asDouble()) {
        errors.add(prefix + "should be greater than or equal to " + s.get("minimum").asText());
      }
      if (s.has("maximum") && value.asDouble() > s.get("maximum").asDouble()) {
        errors.add(prefix + "should be less than or equal to " + s.get("maximum").asText());
      }
    }
    if (value.isTextual()) {
      String text = value.asText();
      int length = text.codePointCount(0, text.length());
      if (s.has("minLength") && length < s.get("minLength").asInt()) {
        errors.add(prefix + "should be at least " + s.get("minLength").asInt() + " chars long");
      }
      if (s.has("maxLength") && length > s.get("maxLength").asInt()) {
        errors.add(prefix + "may not be longer than " + s.get("maxLength").asInt());
      }
      if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(text).find()) {
        errors.add(prefix + "should match '" + s.get("pattern").asText() + "'");
      }
    }
    if (value.isArray()) {
      if (s.has("maxItems") && value.size() > s.get("maxItems").asInt()) {
        errors.add(
            "%s: Too many: %d: must have at most %d items"
                .formatted(at, value.size(), s.get("maxItems").asInt()));
      }
      if (s.has("minItems") && value.size() < s.get("minItems").asInt()) {
        errors.add(
            "%s: Invalid value: %d: must have at least %d items"
                .formatted(at, value.size(), s.get("minItems").asInt()));
      }
    }
    if (value.isObject() && s.has("maxProperties") && value.size() > s.get("maxProperties").asInt()) {
      errors.add(
          "%s: Too many: %d: must have at most %d items"
              .formatted(at, value.size(), s.get("maxProperties").asInt()));
    }
  }

  /**
   * Evaluates {@code x-kubernetes-validations}. As in the API server, a rule that mentions {@code
   * oldSelf} is a transition rule: it runs only on update, when the old object has a value here.
   */
  private void checkRules(String path, JsonNode value, JsonNode old, JsonNode s, List<String> errors) {
    for (JsonNode rule : s.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      boolean transition = expression.contains("oldSelf");
      if (transition && (old == null || old.isNull())) {
        continue;
      }
      Map<String, Object> variables = new HashMap<>();
      variables.put("self", CelJson.of(value));
      if (transition) {
        variables.put("oldSelf", CelJson.of(old));
      }
      String at = "%s: Invalid value: \"%s\": ".formatted(name(path), typeOf(value));
      try {
        if (!evaluate(expression, variables)) {
          errors.add(at + (rule.has("message") ? rule.get("message").asText() : expression));
        }
      } catch (CelEvaluationException e) {
        // The API server reports a rule that fails at run time (e.g. a missing key) as invalid.
        errors.add(at + e.getMessage() + " evaluating rule: " + expression);
      }
    }
  }

  private static boolean evaluate(String expression, Map<String, Object> variables)
      throws CelEvaluationException {
    return Boolean.TRUE.equals(CelJson.evaluate(expression, variables));
  }

  private static boolean hasType(JsonNode value, JsonNode s) {
    if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return value.isIntegralNumber() || value.isTextual();
    }
    return switch (s.path("type").asText("")) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }

  private static String typeOf(JsonNode value) {
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    return value.isBoolean() ? "boolean" : "null";
  }

  private static String quote(JsonNode value) {
    return value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
  }

  private static String child(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static String name(String path) {
    return path.isEmpty() ? "<root>" : path;
  }
}
