package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The session's persistent volume: the agent's files and the run state live on it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceSpec(
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$")
    @JsonPropertyDescription("Size of the PersistentVolumeClaim, e.g. `5Gi`. Default: `1Gi`.")
    String size,
    @Size(max = 253)
    @JsonPropertyDescription("StorageClass of the claim. Unset: the cluster's default class.")
    String storageClassName,
    @JsonPropertyDescription("A git repository to clone into the workspace when it is created.")
    GitSource git) {}
