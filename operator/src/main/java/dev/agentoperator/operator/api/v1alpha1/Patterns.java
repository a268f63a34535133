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

  /**
   * An IPv4 CIDR with octets 0-255 and a prefix up to 32, or the shape of an IPv6 CIDR (the
   * operator parses IPv6 addresses exactly). A schema pattern rather than CEL's {@code isCIDR()},
   * which needs Kubernetes 1.31.
   */
  static final String CIDR =
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
          + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$"
          + "|^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$";

  /** CEL: a duration (already matching {@link #DURATION}) that is longer than zero. */
  static final String POSITIVE_DURATION_RULE = "self.matches('[1-9]')";

  /** An abbreviated or full git commit id. */
  static final String COMMIT = "^[0-9a-f]{7,40}$";

  private Patterns() {}
}
