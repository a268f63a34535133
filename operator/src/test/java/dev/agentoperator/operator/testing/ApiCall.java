package dev.agentoperator.operator.testing;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request to the API server as RBAC sees it: verb, API group and resource (with subresource).
 */
public record ApiCall(String verb, String group, String resource, boolean mutating) {

  private static final Pattern PATH =
      Pattern.compile(
          "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([a-z]+)(?:/([^/?]+))?(?:/([a-z]+))?(?:\\?(.*))?$");

  /** Reads a recorded request; fails on a path that is not a resource path. */
  public static ApiCall of(RecordedRequest request) {
    Matcher m = PATH.matcher(request.getPath());
    if (!m.matches()) {
      throw new AssertionError("unexpected request path " + request.getPath());
    }
    String group = m.group(1) == null ? "" : m.group(1);
    String resource = m.group(2) + (m.group(4) == null ? "" : "/" + m.group(4));
    String query = m.group(5) == null ? "" : m.group(5);
    String verb =
        switch (request.getMethod()) {
          case "GET" ->
              query.contains("watch=true") ? "watch" : m.group(3) == null ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> "delete";
          default -> request.getMethod();
        };
    return new ApiCall(verb, group, resource, !request.getMethod().equals("GET"));
  }

  /** True when one of {@code rules} grants this call. */
  public boolean grantedBy(List<PolicyRule> rules) {
    return rules.stream()
        .anyMatch(
            rule ->
                rule.getApiGroups().contains(group)
                    && rule.getResources().contains(resource)
                    && rule.getVerbs().contains(verb));
  }

  /** The rules of the operator's ClusterRole as committed in {@code rbac.yaml}. */
  public static List<PolicyRule> rbacRules() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("src/main/resources/rbac.yaml"))) {
      return new KubernetesSerialization().unmarshal(in, ClusterRole.class).getRules();
    }
  }
}
