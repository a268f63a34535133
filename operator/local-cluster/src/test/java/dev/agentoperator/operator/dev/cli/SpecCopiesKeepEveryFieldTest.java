package dev.agentoperator.operator.dev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.GitSource;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.RunLimitsSpec;
import dev.agentoperator.operator.api.v1alpha1.SandboxSpec;
import dev.agentoperator.operator.run.EphemeralSession;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every path that copies or rebuilds a session or run spec keeps every field. The specs are filled
 * by reflection, so a field added to the model is covered the day it is added: a copy path that
 * does not carry it fails here instead of silently dropping what the user wrote.
 */
class SpecCopiesKeepEveryFieldTest {

  private static final ModelOverrides LOCAL_MODEL =
      new ModelOverrides(Optional.of("http://127.0.0.1:9/v1"), Optional.of("local-model"));

  @ParameterizedTest
  @ValueSource(classes = {AgentSessionSpec.class, AgentRunSpec.class, ModelSpec.class,
      GitSource.class, SandboxSpec.class, RunLimitsSpec.class})
  void shouldKeepEveryFieldThroughToBuilder(Class<? extends Record> type) throws Exception {
    Record filled = EveryFieldFilled.of(type);
    assertThat(EveryFieldFilled.nullFields(filled)).isEmpty();

    Object builder = type.getMethod("toBuilder").invoke(filled);
    Object copy = builder.getClass().getMethod("build").invoke(builder);

    assertThat(copy).isEqualTo(filled);
  }

  @ParameterizedTest
  @ValueSource(classes = {AgentSessionSpec.class, AgentRunSpec.class, ModelSpec.class,
      GitSource.class, SandboxSpec.class, RunLimitsSpec.class})
  void shouldOfferABuilderSetterForEveryField(Class<? extends Record> type) throws Exception {
    Record filled = EveryFieldFilled.of(type);

    Object builder = type.getMethod("builder").invoke(null);
    for (RecordComponent component : type.getRecordComponents()) {
      Method setter = builder.getClass().getMethod(component.getName(), component.getType());
      setter.invoke(builder, component.getAccessor().invoke(filled));
    }
    Object built = builder.getClass().getMethod("build").invoke(builder);

    assertThat(built).isEqualTo(filled);
  }

  @Test
  void shouldKeepEverySessionFieldButTheEndpointAndModelNameWhenOverridingTheModel() {
    AgentSessionSpec spec = EveryFieldFilled.of(AgentSessionSpec.class);
    assertThat(spec.model().provider()).isEqualTo(ModelProvider.openai);
    AgentSession session = new AgentSession();
    session.setMetadata(new ObjectMetaBuilder().withName("webapp").build());
    session.setSpec(spec);

    LOCAL_MODEL.apply(session);

    assertThat(session.getSpec().model().baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(session.getSpec().model().name()).isEqualTo("local-model");
    assertThat(session.getSpec())
        .usingRecursiveComparison()
        .ignoringFields("model.baseUrl", "model.name")
        .isEqualTo(spec);
  }

  @Test
  void shouldKeepEveryRunFieldButTheTemplatesEndpointAndModelNameWhenOverridingTheModel() {
    AgentRunSpec spec = EveryFieldFilled.of(AgentRunSpec.class);
    AgentRun run = run(spec);

    LOCAL_MODEL.apply(run);

    assertThat(run.getSpec().sessionTemplate().model().name()).isEqualTo("local-model");
    assertThat(run.getSpec())
        .usingRecursiveComparison()
        .ignoringFields("sessionTemplate.model.baseUrl", "sessionTemplate.model.name")
        .isEqualTo(spec);
  }

  @Test
  void shouldGiveTheEphemeralSessionEveryFieldOfTheRunsTemplate() {
    AgentRunSpec spec = EveryFieldFilled.of(AgentRunSpec.class);

    AgentSession session = EphemeralSession.desired(run(spec));

    assertThat(session.getSpec()).isEqualTo(spec.sessionTemplate());
  }

  @ParameterizedTest
  @ValueSource(classes = {AgentSessionSpec.class, AgentRunSpec.class})
  void shouldReadBackEveryFieldItWroteAsJson(Class<? extends Record> type) {
    Record filled = EveryFieldFilled.of(type);

    Object read = Serialization.unmarshal(Serialization.asJson(filled), type);

    assertThat(read).isEqualTo(filled);
  }

  private static AgentRun run(AgentRunSpec spec) {
    AgentRun run = new AgentRun();
    run.setMetadata(
        new ObjectMetaBuilder().withName("fix-tests").withNamespace("default").withUid("u-1")
            .build());
    run.setSpec(spec);
    return run;
  }
}
