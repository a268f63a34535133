package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.PendingQuestion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The question and skill tools end to end. The agent asks, the run waits in AwaitingInput with the
 * question in status, a person answers in spec.answers and the model gets the answer as the tool
 * result; a question nobody answers ends the run TimedOut. A session skill from a ConfigMap and a
 * workspace skill are listed and loaded on demand.
 */
class QuestionsAndSkillsE2eTest {

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("question").applying(MODEL_KEY_SECRET);

  private static String session(String name) {
    return E2eYaml.session(name, model, "allow: [question, shell]", "");
  }

  private static String run(String name, String session, String prompt, String timeout) {
    return E2eYaml.run(name, session, prompt, timeout);
  }

  @Test
  void shouldGiveThePersonsAnswerFromSpecAnswersToTheModel() throws Exception {
    // given
    model.script("[ask]",
        call("question", "{\"question\":\"Which database?\",\"choices\":[\"orders\",\"users\"]}"),
        say("Migrating orders as you said."));
    cluster.apply(session("ask") + run("ask-run", "ask", "[ask] migrate", "5m"));
    AgentRun waiting = cluster.awaitPhase("ask-run", AgentRunPhase.AwaitingInput);
    PendingQuestion pending = waiting.getStatus().getPendingQuestions().getFirst();

    // when
    cluster.answerQuestion("ask-run", pending.id(), "orders, please");

    // then
    assertThat(pending.question()).isEqualTo("Which database?");
    assertThat(pending.choices()).containsExactly("orders", "users");
    assertThat(waiting.getStatus().getMessage()).contains(pending.id(), "kubectl agent answer");
    AgentRun run = cluster.awaitPhase("ask-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getPendingQuestions()).isEmpty();
    assertThat(model.toolResultsSeen("[ask]")).contains("The person answered: orders, please");
    assertThat(
            cluster.client().v1().events().inNamespace(LocalClusterExtension.NS).list().getItems())
        .filteredOn(e -> "ask-run".equals(e.getInvolvedObject().getName()))
        .filteredOn(e -> "InputAnswered".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .isEqualTo("question " + pending.id() + " answered by e2e-user"));
  }

  @Test
  void shouldTimeOutARunWhoseQuestionNobodyAnswers() throws Exception {
    // given a session whose pod is up (the timeout counts from the run's creation)
    model.script("[warm]", say("ready"));
    model.script("[unanswered]",
        call("question", "{\"question\":\"Anyone there?\"}"),
        say("never reached"));
    cluster.apply(session("silent") + run("warm-run", "silent", "[warm] go", "5m"));
    cluster.awaitPhase("warm-run", AgentRunPhase.Succeeded);

    // when
    cluster.apply(run("silent-run", "silent", "[unanswered] go", "4s"));

    // then
    cluster.awaitPhase("silent-run", AgentRunPhase.AwaitingInput);
    AgentRun run = cluster.awaitPhase("silent-run", AgentRunPhase.TimedOut);
    assertThat(run.getStatus().getPendingQuestions()).isEmpty();
    assertThat(model.requests("[unanswered]")).hasSize(1);
  }

  @Test
  void shouldLoadASessionSkillFromItsConfigMapOnDemand() throws Exception {
    // given a skill in a ConfigMap and a workspace skill the agent wrote itself
    model.script("[skill]",
        call("write_file", args("path", ".agent/skills/local/SKILL.md", "content",
            "---\nname: local\ndescription: A workspace skill\n---\nLocal steps.")),
        call("skill", "{}"),
        call("skill", "{\"name\":\"release\"}"),
        say("Loaded."));
    cluster.apply("""
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: release-skill}
        data:
          SKILL.md: |
            ---
            name: release
            description: Cut a release with a changelog
            ---
            Step 1: read CHANGES.md and write the notes.
          template.md: "# Release"
        """ + E2eYaml.session("skilled", model, "allow: [skill, write_file]",
            "  skills:\n    - name: release\n      configMapRef: {name: release-skill}")
        + run("skill-run", "skilled", "[skill] release", "5m"));

    // when
    cluster.awaitPhase("skill-run", AgentRunPhase.Succeeded);

    // then the listing named both skills and the load returned the whole SKILL.md and its files
    String seen = model.toolResultsSeen("[skill]");
    assertThat(seen).contains("- local: A workspace skill",
        "- release: Cut a release with a changelog",
        "Step 1: read CHANGES.md and write the notes.", "template.md");
  }

  @Test
  void shouldLoadASessionSkillClonedFromGitByTheInitStep(@TempDir Path origin) throws Exception {
    // given a repository with a skill folder, cloned by the init step from a file:// URL
    Path folder = Files.createDirectories(origin.resolve("skills/review"));
    Files.writeString(folder.resolve("SKILL.md"),
        "---\nname: review\ndescription: Review a change\n---\nRead the diff twice.");
    Files.writeString(folder.resolve("checklist.md"), "- tests\n");
    try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("skills").setAuthor("t", "t@example.com").setSign(false).call();
    }
    model.script("[git-skill]", call("skill", "{\"name\":\"review\"}"), say("Loaded."));
    cluster.apply(E2eYaml.session("git-skilled", model, "allow: [skill]",
            "  skills:\n    - name: review\n      git: {url: \"" + origin.toUri()
                + "\", ref: main, path: skills/review}")
        + run("git-skill-run", "git-skilled", "[git-skill] review", "5m"));

    // when
    cluster.awaitPhase("git-skill-run", AgentRunPhase.Succeeded);

    // then
    assertThat(model.toolResultsSeen("[git-skill]"))
        .contains("Read the diff twice.", "checklist.md");
  }
}
