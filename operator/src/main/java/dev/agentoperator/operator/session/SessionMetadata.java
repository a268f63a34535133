package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels, owner reference and metadata shared by every object a session owns. */
public final class SessionMetadata {

  /** Label naming the session an object belongs to; informers and selectors filter on it. */
  public static final String SESSION_LABEL = "agentoperator.dev/session";

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "agent-operator";

  private SessionMetadata() {}

  /** The labels of every object owned by {@code session}. */
  public static Map<String, String> labels(AgentSession session) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "agent-session");
    labels.put("app.kubernetes.io/instance", session.getMetadata().getName());
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put("app.kubernetes.io/part-of", "agent-operator");
    labels.put(SESSION_LABEL, session.getMetadata().getName());
    return labels;
  }

  /** The labels that select the session's sandbox pod. */
  public static Map<String, String> podSelector(AgentSession session) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(MANAGED_BY_LABEL, MANAGED_BY);
    selector.put(SESSION_LABEL, session.getMetadata().getName());
    return selector;
  }

  /** A controller owner reference so the object is garbage collected with the session. */
  public static OwnerReference ownerReference(AgentSession session) {
    return new OwnerReferenceBuilder()
        .withApiVersion(session.getApiVersion())
        .withKind(session.getKind())
        .withName(session.getMetadata().getName())
        .withUid(session.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Metadata for an owned object called {@code name} in the session's namespace. */
  public static ObjectMeta metadata(AgentSession session, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(session.getMetadata().getNamespace())
        .withLabels(labels(session))
        .withOwnerReferences(ownerReference(session))
        .build();
  }
}
