package dev.agentoperator.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.NullValue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** JSON as the API server's CEL sees it, for tests that evaluate CRD rules and admission policies. */
public final class CelJson {

  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<Set<String>, CelCompiler> COMPILERS = new ConcurrentHashMap<>();

  private CelJson() {}

  /**
   * Evaluates {@code expression} with {@code variables} (each of type dyn, as JSON from {@link
   * #of}); an expression that does not compile is a defect of the tested YAML, not a rejection.
   */
  public static Object evaluate(String expression, Map<String, Object> variables)
      throws CelEvaluationException {
    CelCompiler compiler =
        COMPILERS.computeIfAbsent(new TreeSet<>(variables.keySet()), CelJson::compiler);
    try {
      return RUNTIME.createProgram(compiler.compile(expression).getAst()).eval(variables);
    } catch (CelValidationException e) {
      throw new IllegalStateException("CEL expression does not compile: " + expression, e);
    }
  }

  private static CelCompiler compiler(Set<String> names) {
    CelCompilerBuilder builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    names.forEach(name -> builder.addVar(name, SimpleType.DYN));
    return builder.build();
  }

  /** Maps, lists, strings, booleans, 64-bit integers, doubles and null (also for a missing node). */
  public static Object of(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), of(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(of(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
