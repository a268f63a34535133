package dev.agentoperator.operator.gateway;

import dev.agentoperator.operator.config.Durations;
import dev.agentoperator.operator.config.InvalidConfigException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway's configuration, from environment variables.
 *
 * <table>
 *   <caption>Environment variables and their defaults</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code AGENT_GATEWAY_ADDRESS}</td><td>host:port to listen on</td>
 *       <td>{@code 0.0.0.0:8090}</td></tr>
 *   <tr><td>{@code AGENT_GATEWAY_CACHE_TTL}</td><td>how long a token's route (session, key) is
 *       reused before it is looked up again; also how long a deleted session's token keeps
 *       working</td><td>{@code 5s}</td></tr>
 *   <tr><td>{@code AGENT_GATEWAY_UPSTREAM_TIMEOUT}</td><td>longest model call</td>
 *       <td>{@code 10m}</td></tr>
 * </table>
 *
 * @param address where to listen
 * @param cacheTtl how long a resolved route is reused (zero: never)
 * @param upstreamTimeout longest model call
 */
public record GatewaySettings(
    InetSocketAddress address, Duration cacheTtl, Duration upstreamTimeout) {

  /** The settings an environment gives. */
  public static GatewaySettings fromEnv(Map<String, String> env) {
    return new GatewaySettings(
        address(get(env, "AGENT_GATEWAY_ADDRESS", "0.0.0.0:8090")),
        duration(env, "AGENT_GATEWAY_CACHE_TTL", "5s"),
        duration(env, "AGENT_GATEWAY_UPSTREAM_TIMEOUT", "10m"));
  }

  private static Duration duration(Map<String, String> env, String key, String defaultValue) {
    String value = get(env, key, defaultValue);
    try {
      return Durations.parse(value);
    } catch (RuntimeException e) {
      throw new InvalidConfigException(key + "='" + value + "' is invalid: " + e.getMessage());
    }
  }

  private static InetSocketAddress address(String value) {
    int colon = value.lastIndexOf(':');
    try {
      return new InetSocketAddress(
          value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new InvalidConfigException(
          "AGENT_GATEWAY_ADDRESS='" + value + "' is invalid: expected host:port");
    }
  }

  private static String get(Map<String, String> env, String key, String defaultValue) {
    String value = env.get(key);
    return value == null || value.isBlank() ? defaultValue : value.strip();
  }
}
