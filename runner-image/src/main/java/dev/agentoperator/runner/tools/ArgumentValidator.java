package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks tool arguments against the subset of JSON Schema that the files in {@code spec/tools/}
 * use: {@code type}, {@code properties}, {@code required}, {@code additionalProperties: false},
 * {@code enum}, {@code items}, {@code minItems}, {@code maxItems}, {@code minimum}, {@code
 * maximum}. A schema using any other keyword is rejected when it is loaded, so a schema can never
 * promise a check that is silently skipped. Problems are phrased for the model.
 */
public final class ArgumentValidator {

  private static final Set<String> SUPPORTED_KEYWORDS =
      Set.of(
          "type",
          "properties",
          "required",
          "additionalProperties",
          "enum",
          "items",
          "minItems",
          "maxItems",
          "minimum",
          "maximum",
          "description");

  private final JsonNode schema;

  private ArgumentValidator(JsonNode schema) {
    this.schema = schema;
  }

  /**
   * A validator for {@code schema}; throws if the schema uses a keyword this class cannot check.
   */
  public static ArgumentValidator forSchema(JsonNode schema) {
    checkSupported(schema, "parameters");
    return new ArgumentValidator(schema);
  }

  /** A validator that only requires a JSON object (for schemas checked by someone else). */
  public static ArgumentValidator anyObject() {
    return new ArgumentValidator(
        JsonNodeFactory.instance.objectNode().put("type", "object"));
  }

  /** The problems found in {@code value}, empty when it is valid. */
  public List<String> problems(JsonNode value) {
    List<String> problems = new ArrayList<>();
    check(schema, value, "", problems);
    return problems;
  }

  private static void checkSupported(JsonNode schema, String where) {
    if (!schema.isObject()) {
      throw new IllegalArgumentException("schema at " + where + " is not an object");
    }
    for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
      String keyword = names.next();
      if (!SUPPORTED_KEYWORDS.contains(keyword)) {
        throw new IllegalArgumentException(
            "schema at " + where + " uses unsupported keyword '" + keyword + "'");
      }
    }
    JsonNode additional = schema.get("additionalProperties");
    if (additional != null && !additional.isBoolean()) {
      throw new IllegalArgumentException(
          "schema at " + where + ": additionalProperties must be a boolean");
    }
    JsonNode properties = schema.get("properties");
    if (properties != null) {
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        checkSupported(property.getValue(), where + "." + property.getKey());
      }
    }
    JsonNode items = schema.get("items");
    if (items != null) {
      checkSupported(items, where + "[]");
    }
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
    JsonNode type = schema.get("type");
    if (type != null && !matchesType(type, value)) {
      problems.add(describe(path) + " must be " + typeText(type) + ", got " + jsonType(value));
      return;
    }
    JsonNode allowed = schema.get("enum");
    if (allowed != null && !contains(allowed, value)) {
      problems.add(describe(path) + " must be one of " + enumText(allowed) + ", got " + value);
    }
    if (value.isNumber()) {
      checkRange(schema, value, path, problems);
    }
    if (value.isObject()) {
      checkObject(schema, value, path, problems);
    }
    if (value.isArray()) {
      checkArray(schema, value, path, problems);
    }
  }

  private static void checkRange(
      JsonNode schema, JsonNode value, String path, List<String> problems) {
    JsonNode minimum = schema.get("minimum");
    if (minimum != null && value.decimalValue().compareTo(minimum.decimalValue()) < 0) {
      problems.add(describe(path) + " must be at least " + minimum + ", got " + value);
    }
    JsonNode maximum = schema.get("maximum");
    if (maximum != null && value.decimalValue().compareTo(maximum.decimalValue()) > 0) {
      problems.add(describe(path) + " must be at most " + maximum + ", got " + value);
    }
  }

  private static void checkObject(
      JsonNode schema, JsonNode value, String path, List<String> problems) {
    JsonNode properties = schema.get("properties");
    JsonNode required = schema.get("required");
    if (required != null) {
      for (JsonNode name : required) {
        JsonNode present = value.get(name.asText());
        if (present == null || present.isNull()) {
          problems.add(describe(child(path, name.asText())) + " is required");
        }
      }
    }
    JsonNode additional = schema.get("additionalProperties");
    boolean closed = additional != null && !additional.asBoolean();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      JsonNode propertySchema = properties == null ? null : properties.get(field.getKey());
      if (propertySchema == null) {
        if (closed) {
          problems.add(
              describe(child(path, field.getKey()))
                  + " is not accepted; known arguments: "
                  + known(properties));
        }
      } else if (!field.getValue().isNull()) {
        check(propertySchema, field.getValue(), child(path, field.getKey()), problems);
      }
    }
  }

  private static void checkArray(
      JsonNode schema, JsonNode value, String path, List<String> problems) {
    JsonNode minItems = schema.get("minItems");
    if (minItems != null && value.size() < minItems.asInt()) {
      problems.add(
          describe(path)
              + " must have at least "
              + minItems.asInt()
              + " item(s), got "
              + value.size());
    }
    JsonNode maxItems = schema.get("maxItems");
    if (maxItems != null && value.size() > maxItems.asInt()) {
      problems.add(
          describe(path)
              + " must have at most "
              + maxItems.asInt()
              + " item(s), got "
              + value.size());
    }
    JsonNode items = schema.get("items");
    if (items != null) {
      for (int i = 0; i < value.size(); i++) {
        check(items, value.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  private static boolean matchesType(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode option : type) {
        if (matchesType(option, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "number" -> value.isNumber();
      case "integer" -> value.isIntegralNumber() || isWholeDecimal(value);
      case "null" -> value.isNull();
      default -> throw new IllegalArgumentException("unknown schema type " + type);
    };
  }

  private static boolean isWholeDecimal(JsonNode value) {
    return value.isFloatingPointNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
  }

  private static boolean contains(JsonNode allowed, JsonNode value) {
    for (JsonNode option : allowed) {
      if (option.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String typeText(JsonNode type) {
    if (!type.isArray()) {
      return article(type.asText());
    }
    List<String> options = new ArrayList<>();
    type.forEach(option -> options.add(article(option.asText())));
    return String.join(" or ", options);
  }

  private static String article(String type) {
    return switch (type) {
      case "object", "array", "integer" -> "an " + type;
      case "null" -> "null";
      default -> "a " + type;
    };
  }

  private static String jsonType(JsonNode value) {
    return switch (value.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
      case NULL -> "null";
      default -> value.getNodeType().name().toLowerCase();
    };
  }

  private static String enumText(JsonNode allowed) {
    List<String> options = new ArrayList<>();
    allowed.forEach(
        option -> options.add(option.isTextual() ? option.asText() : option.toString()));
    return String.join(", ", options);
  }

  private static String known(JsonNode properties) {
    if (properties == null || properties.isEmpty()) {
      return "(none)";
    }
    Set<String> names = new TreeSet<>();
    properties.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String describe(String path) {
    return path.isEmpty() ? "the arguments" : "argument '" + path + "'";
  }
}
