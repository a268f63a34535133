package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunControlTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static RunControl control(RunLimits limits) {
    return new RunControl("run-1", limits, CLOCK);
  }

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void shouldEndCancelledWhenTheTimeoutAlsoPassed() {
    RunControl control = control(RunLimits.unlimited().withTimeout(Duration.ofMinutes(5)));

    control.timeOut();
    control.cancel();

    assertThat(control.stopReason()).isEqualTo(StopReason.cancelled());
  }

  @Test
  void shouldEndTimedOutRatherThanSuspendedWhenTheTimeoutPassedDuringAShutdown() {
    RunControl control = control(RunLimits.unlimited().withTimeout(Duration.ofMinutes(5)));

    control.suspend();
    control.timeOut();

    assertThat(control.stopReason().phase()).isEqualTo(RunPhase.TimedOut);
    assertThat(control.stopReason().message()).contains("timeout of PT5M");
  }

  @Test
  void shouldEndCancelledRatherThanSuspendedWhenCancelledDuringAShutdown() {
    RunControl control = control(RunLimits.unlimited());

    control.suspend();
    control.cancel();

    assertThat(control.stopReason()).isEqualTo(StopReason.cancelled());
  }

  @Test
  void shouldStayResumableWhenOnlySuspended() {
    RunControl control = control(RunLimits.unlimited());

    control.suspend();

    assertThat(control.stopReason().suspends()).isTrue();
    assertThat(control.stopReason().phase()).isEqualTo(RunPhase.Running);
  }

  @Test
  void shouldCountAnInterruptNobodyRequestedAsACancel() {
    RunControl control = control(RunLimits.unlimited());

    assertThat(control.stopRequested()).isFalse();
    assertThat(control.stopReason()).isEqualTo(StopReason.cancelled());
  }

  @Test
  void shouldReportAStopBeforeAnyLimit() {
    RunControl control = control(RunLimits.unlimited().withMaxSteps(1));
    control.cancel();

    assertThatThrownBy(() -> control.checkBeforeModelCall(5, Usage.ZERO))
        .isInstanceOf(InterruptedException.class);
  }

  @Test
  void shouldCheckTheStepLimitBeforeTheTokenLimit() {
    RunControl control = control(RunLimits.unlimited().withMaxSteps(3).withMaxTokens(100L));

    assertThatThrownBy(() -> control.checkBeforeModelCall(3, Usage.of(200, 0)))
        .isInstanceOfSatisfying(
            LimitExceeded.class,
            e -> {
              assertThat(e.reason()).isEqualTo("MaxStepsExceeded");
              assertThat(e.stopReason().phase()).isEqualTo(RunPhase.Failed);
            });
  }

  @Test
  void shouldFailWithMaxTokensExceededOnceTheTokensAreUsed() throws Exception {
    RunControl control = control(RunLimits.unlimited().withMaxTokens(100L));

    control.checkBeforeModelCall(7, Usage.of(60, 39));
    assertThatThrownBy(() -> control.checkBeforeModelCall(7, Usage.of(60, 40)))
        .isInstanceOfSatisfying(
            LimitExceeded.class, e -> assertThat(e.reason()).isEqualTo("MaxTokensExceeded"));
  }

  @Test
  void shouldAllowTheLastToolCallAndRefuseTheOneOverTheLimit() throws Exception {
    RunControl control = control(RunLimits.unlimited().withMaxToolCalls(2));

    control.checkBeforeToolCall(1);
    assertThatThrownBy(() -> control.checkBeforeToolCall(2))
        .isInstanceOfSatisfying(
            LimitExceeded.class,
            e -> assertThat(e.getMessage()).isEqualTo("the run reached its limit of 2 tool calls"));
  }

  @Test
  void shouldInterruptTheRunAtOnceWhenCancelledBeforeItWasAttached() {
    RunControl control = control(RunLimits.unlimited());
    control.cancel();

    try (RunControl.Attachment attached = control.attach(NOW)) {
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void shouldNotInterruptARunThatIsWritingItsEnd() {
    RunControl control = control(RunLimits.unlimited());

    try (RunControl.Attachment attached = control.attach(NOW)) {
      control.finishing();
      control.cancel();

      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void shouldTimeOutAResumedRunCountingFromItsOriginalStart() {
    // given a run started two hours ago with a one-hour timeout
    RunControl control = control(RunLimits.unlimited().withTimeout(Duration.ofHours(1)));

    // when it is attached again (a resume)
    try (RunControl.Attachment attached = control.attach(NOW.minus(Duration.ofHours(2)))) {
      // then the watchdog fires at once: a wait of the run is interrupted
      assertThatThrownBy(() -> Thread.sleep(Duration.ofSeconds(30)))
          .isInstanceOf(InterruptedException.class);
      assertThat(control.stopReason().phase()).isEqualTo(RunPhase.TimedOut);
    }
  }

  @Test
  void shouldNotTimeOutARunWithoutATimeout() throws Exception {
    RunControl control = control(RunLimits.unlimited());

    try (RunControl.Attachment attached = control.attach(NOW.minus(Duration.ofDays(30)))) {
      control.checkStop();
      assertThat(control.stopRequested()).isFalse();
    }
  }
}
