package dev.agentoperator.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123Z");
  private static final Instant T1 = Instant.parse("2026-11-22T10:05:00Z");

  @Test
  void shouldStampTransitionTimeAndGenerationOnANewCondition() {
    // given
    Conditions conditions = new Conditions(Clock.fixed(T0, ZoneOffset.UTC));

    // when
    List<Condition> result =
        conditions.set(List.of(), "Ready", ConditionStatus.False, "PodPending", "waiting", 3L);

    // then
    assertThat(result)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("PodPending");
              assertThat(c.getMessage()).isEqualTo("waiting");
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
            });
  }

  @Test
  void shouldKeepTransitionTimeWhenStatusDoesNotFlip() {
    // given
    List<Condition> before =
        new Conditions(Clock.fixed(T0, ZoneOffset.UTC))
            .set(List.of(), "Ready", ConditionStatus.False, "PodPending", "waiting", 1L);

    // when the reason and message change but the status stays False
    List<Condition> after =
        new Conditions(Clock.fixed(T1, ZoneOffset.UTC))
            .set(before, "Ready", ConditionStatus.False, "PodStarting", "starting", 2L);

    // then
    assertThat(after)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
              assertThat(c.getReason()).isEqualTo("PodStarting");
              assertThat(c.getObservedGeneration()).isEqualTo(2L);
            });
  }

  @Test
  void shouldMoveTransitionTimeWhenStatusFlips() {
    // given
    List<Condition> before =
        new Conditions(Clock.fixed(T0, ZoneOffset.UTC))
            .set(List.of(), "Ready", ConditionStatus.False, "PodPending", "waiting", 1L);

    // when
    List<Condition> after =
        new Conditions(Clock.fixed(T1, ZoneOffset.UTC))
            .set(before, "Ready", ConditionStatus.True, "PodReady", "ready", 1L);

    // then
    assertThat(after)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:05:00Z");
            });
  }

  @Test
  void shouldLeaveOtherConditionsAndTheInputUntouched() {
    // given
    Conditions conditions = new Conditions(Clock.fixed(T0, ZoneOffset.UTC));
    List<Condition> before =
        conditions.set(
            conditions.set(List.of(), "WorkspaceReady", ConditionStatus.True, "Bound", "ok", 1L),
            "PodReady",
            ConditionStatus.False,
            "PodPending",
            "waiting",
            1L);

    // when
    List<Condition> after =
        conditions.set(before, "PodReady", ConditionStatus.True, "PodReady", "ready", 1L);

    // then
    assertThat(after).extracting(Condition::getType).containsExactly("WorkspaceReady", "PodReady");
    assertThat(after.get(0)).isSameAs(before.get(0));
    assertThat(before.get(1).getStatus()).isEqualTo("False");
    assertThat(Conditions.isTrue(after, "PodReady")).isTrue();
    assertThat(Conditions.isTrue(after, "Ready")).isFalse();
  }
}
