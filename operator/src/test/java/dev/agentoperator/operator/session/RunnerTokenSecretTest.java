package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

class RunnerTokenSecretTest {

  @Test
  void shouldReadTheTokenFromDataBase64Decoded() {
    var secret = new SecretBuilder().addToData("token", "czNjcjN0").build();

    assertThat(RunnerTokenSecret.tokenOf(secret)).isEqualTo("s3cr3t");
  }

  @Test
  void shouldReadTheTokenFromStringDataWhenTheServerKeptItAsWritten() {
    var secret = new SecretBuilder().addToStringData("token", "plain").build();

    assertThat(RunnerTokenSecret.tokenOf(secret)).isEqualTo("plain");
  }

  @Test
  void shouldPreferDataOverStringData() {
    var secret =
        new SecretBuilder().addToData("token", "czNjcjN0").addToStringData("token", "old").build();

    assertThat(RunnerTokenSecret.tokenOf(secret)).isEqualTo("s3cr3t");
  }

  @Test
  void shouldAnswerNullForASecretWithoutToken() {
    assertThat(RunnerTokenSecret.tokenOf(new SecretBuilder().addToData("other", "eA==").build()))
        .isNull();
    assertThat(RunnerTokenSecret.tokenOf(null)).isNull();
  }
}
