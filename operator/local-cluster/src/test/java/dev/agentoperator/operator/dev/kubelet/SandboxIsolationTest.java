package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.Test;

class SandboxIsolationTest {

  @Test
  void shouldRefuseToolsSayingHowToGetIsolationWhenBwrapIsMissing() {
    SandboxIsolation chosen =
        SandboxIsolation.choose(new SandboxIsolation.Request("/nonexistent/bwrap", false));

    assertThat(chosen).isInstanceOfSatisfying(SandboxIsolation.Refused.class, refused ->
        assertThat(refused.reason())
            .contains("bwrap /nonexistent/bwrap is not an executable file")
            .contains("apt-get install bubblewrap")
            .contains("--runtime podman")
            .contains("--no-isolation"));
    assertThat(chosen.notice()).get().asString().startsWith("tools are refused: ");
  }

  @Test
  void shouldRefuseToolsWhenBwrapExistsButCannotRunASandbox() {
    // a "bwrap" that runs but fails, as bubblewrap does where namespaces are not allowed
    SandboxIsolation chosen =
        SandboxIsolation.choose(new SandboxIsolation.Request("/bin/false", false));

    assertThat(chosen).isInstanceOf(SandboxIsolation.Refused.class);
    assertThat(((SandboxIsolation.Refused) chosen).reason())
        .containsAnyOf("cannot create namespaces", "setpriv");
  }

  @Test
  void shouldRunToolsUnisolatedOnlyWhenAskedAndSayTheyRunWithTheUsersRights() {
    SandboxIsolation chosen =
        SandboxIsolation.choose(new SandboxIsolation.Request("/nonexistent/bwrap", true));

    assertThat(chosen).isInstanceOf(SandboxIsolation.Unisolated.class);
    assertThat(chosen.notice()).get().asString()
        .contains("--no-isolation")
        .contains("with your rights");
  }

  @Test
  void shouldIsolateWithAWorkingBwrapEvenWhenUnisolatedToolsAreAllowed() {
    assumeThat(Bubblewrap.detect()).as("bubblewrap works on this machine").isPresent();

    SandboxIsolation chosen = SandboxIsolation.choose(new SandboxIsolation.Request("bwrap", true));

    assertThat(chosen).isInstanceOf(SandboxIsolation.Isolated.class);
    assertThat(chosen.notice()).isEmpty();
  }
}
