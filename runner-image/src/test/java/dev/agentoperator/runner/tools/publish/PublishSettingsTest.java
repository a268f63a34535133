package dev.agentoperator.runner.tools.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishSettingsTest {

  @Test
  void shouldTurnPublishingOffWhenNothingIsSet() {
    PublishSettings settings = PublishSettings.fromEnv(Map.of());

    assertThat(settings.push()).isEmpty();
    assertThat(settings.pullRequests()).isEmpty();
  }

  @Test
  void shouldReadBranchesAndDeriveTheRepositoryFromTheRemote() {
    PublishSettings settings = PublishSettings.fromEnv(Map.of(
        PublishSettings.PUSH_REMOTE_ENV, "https://github.com/acme/app.git",
        PublishSettings.PUSH_BRANCHES_ENV, "agent/*, release-notes",
        PublishSettings.PR_PROVIDER_ENV, "github",
        PublishSettings.PR_API_URL_ENV, "https://api.github.com",
        PublishSettings.PR_TOKEN_FILE_ENV, "/etc/agent/pull-request-token/token"));

    assertThat(settings.push().orElseThrow().branches()).containsExactly("agent/*", "release-notes");
    assertThat(settings.push().orElseThrow().allowForce()).isFalse();
    assertThat(settings.pullRequests().orElseThrow().repository()).isEqualTo("acme/app");
  }

  @Test
  void shouldRefuseAnSshRemoteAndCredentialsInTheUrl() {
    assertThatThrownBy(() -> PublishSettings.fromEnv(Map.of(
        PublishSettings.PUSH_REMOTE_ENV, "ssh://git@github.com/acme/app.git")))
        .hasMessageContaining("ssh remotes are not supported");
    assertThatThrownBy(() -> PublishSettings.fromEnv(Map.of(
        PublishSettings.PUSH_REMOTE_ENV, "https://bot:hunter2@github.com/acme/app.git")))
        .hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void shouldNeverShowSecretsInItsDescription() {
    PublishSettings settings = PublishSettings.fromEnv(Map.of(
        PublishSettings.PUSH_REMOTE_ENV, "https://github.com/acme/app.git",
        PublishSettings.PUSH_CREDENTIALS_DIR_ENV, "/etc/agent/git-push-credentials"));

    assertThat(settings.toString()).contains("/etc/agent/git-push-credentials");
  }
}
