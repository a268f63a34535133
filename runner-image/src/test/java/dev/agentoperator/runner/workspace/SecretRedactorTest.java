package dev.agentoperator.runner.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

  @Test
  void shouldMaskKnownSecretsAndUserInfoInUrls() {
    SecretRedactor redactor = new SecretRedactor(List.of("tok3n", ""));

    String redacted =
        redactor.redact("https://me:pw@host/x.git failed; header tok3n; ssh://git@host/y");

    assertThat(redacted).isEqualTo("https://***@host/x.git failed; header ***; ssh://***@host/y");
  }

  @Test
  void shouldStripUserInfoFromAUrl() {
    assertThat(SecretRedactor.withoutUserInfo("https://u:p@host:8443/a/b.git?x=1"))
        .isEqualTo("https://host:8443/a/b.git?x=1");
    assertThat(SecretRedactor.withoutUserInfo("file:///tmp/repo")).isEqualTo("file:///tmp/repo");
  }
}
