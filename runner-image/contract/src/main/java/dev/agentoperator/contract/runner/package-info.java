/**
 * The runner's HTTP API as Java types ({@code spec/runner-api.yaml}, {@code spec/events.md},
 * {@code spec/runner-env.md}): the one definition the operator (client), the runner (server) and
 * the test fakes share.
 *
 * <p>Hand-written records, not generated ones: the records carry small behaviour the spec cannot
 * (capping a result in bytes, {@link dev.agentoperator.contract.runner.RunRequest#asResume()},
 * null-safe list accessors), keep the names the code already uses, and need no generator plugin in
 * an offline build. What generation would guarantee, {@code RunnerApiDriftTest} checks instead: it
 * reads the YAML and fails when a schema's property names, types or required-ness and a record's
 * components part ways, and likewise for phases, event types, event payloads and the environment.
 */
package dev.agentoperator.contract.runner;
