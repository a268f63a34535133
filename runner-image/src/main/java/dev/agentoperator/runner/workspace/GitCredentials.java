package dev.agentoperator.runner.workspace;

import java.util.Objects;

/** A user name and password (or token) for an HTTPS git remote; never printed. */
public record GitCredentials(String username, String password) {

  public GitCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "GitCredentials[username=" + username + ", password=***]";
  }
}
