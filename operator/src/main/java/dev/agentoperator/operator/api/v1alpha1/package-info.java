/**
 * The custom resources of Agent Operator, version {@code agentoperator.dev/v1alpha1}. The CRD YAML in
 * {@code crds/} is generated from these classes: field Javadoc lives in
 * {@code @JsonPropertyDescription} so that {@code kubectl explain} shows it, and the schema
 * validation (patterns, bounds, CEL rules) lives in the annotations so that the API server rejects a
 * bad object before the operator sees it.
 */
package dev.agentoperator.operator.api.v1alpha1;
