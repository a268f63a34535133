package dev.agentoperator.operator.api.v1alpha1;

/** Regular expressions shared by the schema annotations of the resource model. */
final class Patterns {

  /** A Kubernetes object name (DNS subdomain, RFC 1123): what Secrets and ConfigMaps are named. */
  static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A key inside a Secret or ConfigMap. */
  static final String DATA_KEY = "^[-._a-zA-Z0-9]+$";

  /** A duration such as {@code 90s}, {@code 30m} or {@code 1h30m}. */
  static final String DURATION = "^([0-9]+(ms|s|m|h))+$";

  /** An abbreviated or full git commit id. */
  static final String COMMIT = "^[0-9a-f]{7,40}$";

  private Patterns() {}
}
