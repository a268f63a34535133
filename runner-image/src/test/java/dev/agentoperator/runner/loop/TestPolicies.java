package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.policy.ToolPolicy;
import java.util.List;

/** Tool policies for tests that are about something else than the policy. */
public final class TestPolicies {

  /** The JSON of a run request's {@code tools} field that allows every tool. */
  public static final String EVERY_TOOL_JSON = "{\"allow\":[\"*\"]}";

  private TestPolicies() {}

  /** An explicit policy {@code allow: ["*"]}: production code has no such shortcut. */
  public static ToolCallPolicy everyTool() {
    return ToolPolicy.of(List.of("*"), List.of(), List.of())::decide;
  }

  /** A run with default limits whose policy allows every tool. */
  public static RunSpec runAllowingEveryTool(String runUid, String prompt) {
    return RunSpec.of(runUid, prompt).withPolicy(everyTool());
  }
}
