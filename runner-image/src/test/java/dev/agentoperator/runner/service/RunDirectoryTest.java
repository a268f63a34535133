package dev.agentoperator.runner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.loop.RunFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @TempDir Path stateDir;

  private void endedRun(String uid) {
    EventLog log = new EventLog(RunFiles.runDir(stateDir, uid), uid);
    log.append("run.started", EventLog.data().put("resumed", false));
    log.append("run.succeeded", EventLog.data().put("result", "answer of " + uid));
  }

  @Test
  void shouldKeepMemoryBoundedAndReadForgottenRunsBackFromDisk() {
    // given
    RunDirectory runs = new RunDirectory(stateDir, List.of());
    for (int i = 0; i < RunDirectory.MAX_OPEN + 20; i++) {
      endedRun("run-" + i);
    }

    // when
    for (int i = 0; i < RunDirectory.MAX_OPEN + 20; i++) {
      assertThat(runs.find("run-" + i)).isNotNull();
    }

    // then
    assertThat(runs.openCount()).isLessThanOrEqualTo(RunDirectory.MAX_OPEN);
    RunSummary first = runs.find("run-0").projection().summary("run-0");
    assertThat(first.phase()).isEqualTo("Succeeded");
    assertThat(first.result().text()).isEqualTo("answer of run-0");
  }

  @Test
  void shouldKeepARunThatHasNotEndedEvenWhenManyRunsAreOpen() {
    // given: an interrupted run (started, never ended) opened first
    RunDirectory runs = new RunDirectory(stateDir, List.of());
    new EventLog(RunFiles.runDir(stateDir, "interrupted"), "interrupted")
        .append("run.started", EventLog.data().put("resumed", false));
    RunHandle interrupted = runs.find("interrupted");
    for (int i = 0; i < RunDirectory.MAX_OPEN + 5; i++) {
      endedRun("run-" + i);
      runs.find("run-" + i);
    }

    // then: the same handle (and the approvals it holds) is still the one served
    assertThat(runs.find("interrupted")).isSameAs(interrupted);
  }

  @Test
  void shouldRefuseUidsThatCouldEscapeTheStateDirectory() {
    for (String uid : List.of("../etc", "a/b", "", "x".repeat(65), "run_1")) {
      assertThatThrownBy(() -> RunDirectory.checkUid(uid))
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("run uid must be");
    }
    assertThat(new RunDirectory(stateDir, List.of()).find("never-there")).isNull();
  }
}
