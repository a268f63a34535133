package dev.agentoperator.operator.dev.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kubectl apply -f} for the local cluster: reads multi-document YAML files and creates or
 * updates each object, in file order, in its namespace or {@code default}. An object that cannot
 * be read stops everything before anything is applied, naming the file and document.
 */
public final class ManifestApplier {

  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

  private final KubernetesClient client;
  private final ModelOverrides overrides;

  public ManifestApplier(KubernetesClient client, ModelOverrides overrides) {
    this.client = client;
    this.overrides = overrides;
  }

  /** Reads every document of every file; nothing is applied if one of them is unreadable. */
  public List<HasMetadata> read(List<Path> files) {
    List<HasMetadata> objects = new ArrayList<>();
    for (Path file : files) {
      List<JsonNode> documents;
      try (var parser = YAML.getFactory().createParser(Files.newBufferedReader(file))) {
        documents = YAML.readValues(parser, JsonNode.class).readAll();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
      }
      int index = 0;
      for (JsonNode document : documents) {
        index++;
        // an empty document (--- followed by ---, or only comments) is skipped, as kubectl does
        if (document == null || document.isNull() || document.isMissingNode()
            || (document.isObject() && document.isEmpty())) {
          continue;
        }
        if (!(document instanceof ObjectNode object)) {
          throw new IllegalArgumentException(
              file + ", document " + index + ": not an object (apiVersion, kind, metadata, ...)");
        }
        objects.add(toObject(file, index, object));
      }
    }
    return objects;
  }

  /** Creates or updates the objects, in order; returns them as stored. */
  public List<HasMetadata> apply(List<HasMetadata> objects) {
    List<HasMetadata> applied = new ArrayList<>();
    for (HasMetadata object : objects) {
      String namespace = object.getMetadata().getNamespace() == null
          ? "default" : object.getMetadata().getNamespace();
      object.getMetadata().setNamespace(namespace);
      applied.add(client.resource(overrides.apply(object)).inNamespace(namespace)
          .createOr(NonDeletingOperation::update));
    }
    return applied;
  }

  private HasMetadata toObject(Path file, int index, ObjectNode document) {
    String apiVersion = document.path("apiVersion").asText("");
    String kind = document.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty() || document.path("metadata").path("name")
        .asText("").isEmpty()) {
      throw new IllegalArgumentException(file + ", document " + index
          + ": needs apiVersion, kind and metadata.name");
    }
    Class<? extends HasMetadata> type = HasMetadata.class;
    if (apiVersion.equals(AgentRun.GROUP + "/" + AgentRun.VERSION)) {
      type = switch (kind) {
        case "AgentRun" -> AgentRun.class;
        case "AgentSession" -> AgentSession.class;
        default -> throw new IllegalArgumentException(
            file + ", document " + index + ": unknown kind " + kind + " in " + apiVersion);
      };
    }
    try {
      return client.getKubernetesSerialization().convertValue(document, type);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          file + ", document " + index + " (" + kind + "): " + e.getMessage(), e);
    }
  }
}
