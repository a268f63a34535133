package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A person's answer to one entry of status.pendingQuestions; the agent receives {@code answer} as
 * the result of its {@code question} call. Only the operator forwards it to the runner, so the
 * agent cannot answer its own question. {@code by} records who answered, as {@link Approval#by()}
 * does for approvals (the chart's ValidatingAdmissionPolicy makes it the authenticated user).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Answer(
    @Required
    @Pattern("^[A-Za-z0-9._-]{1,64}$")
    @Size(max = 64) // maxLength bounds the CEL rules' estimated cost
    @JsonPropertyDescription("The id of the pending question, from status.pendingQuestions.")
    String id,
    @Required
    @Size(min = 1, max = 4096)
    @JsonPropertyDescription("The answer, as the agent will read it.")
    String answer,
    @Size(max = 512)
    @JsonPropertyDescription(
        "The answering user, as the API server authenticated them (request.userInfo.username)."
            + " The Helm chart's ValidatingAdmissionPolicy checks it against the user who adds the"
            + " entry; `kubectl agent answer` fills it in. Without that policy it is free text.")
    String by) {}
