package dev.agentoperator.runner.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials reach the git server but never the output, even when the clone fails. */
class GitCredentialsLeakTest {

  private static final String PASSWORD = "s3cr3t-token-9f2c";

  @TempDir Path root;
  private final MockWebServer server = new MockWebServer();
  private final List<String> authorizations = new ArrayList<>();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeEach
  void startServerThatRejectsEveryone() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String authorization = request.getHeaders().get("Authorization");
            synchronized (authorizations) {
              authorizations.add(authorization == null ? "" : authorization);
            }
            // Echo what a careless server might: the request line and credentials in the body.
            return new MockResponse.Builder()
                .code(401)
                .addHeader("WWW-Authenticate", "Basic realm=\"git\"")
                .body("denied " + authorization)
                .build();
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void shouldSendAPasswordFromTheUrlButNeverPrintIt() {
    // given
    String url = "http://alice:" + PASSWORD + "@127.0.0.1:" + server.getPort() + "/repo.git";

    // when
    int exit = run(env("AGENT_GIT_URL", url));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.FAILED);
    assertThat(output())
        .contains("cannot clone http://127.0.0.1:" + server.getPort() + "/repo.git");
    assertThat(output()).doesNotContain(PASSWORD).doesNotContain(basic("alice", PASSWORD));
    assertThat(authorizations).contains(basic("alice", PASSWORD));
  }

  @Test
  void shouldSendCredentialsFromAMountedSecretButNeverPrintThem() throws IOException {
    // given a basic-auth Secret mounted as files (values end with a newline, as editors leave them)
    Path secret = Files.createDirectories(root.resolve("secret"));
    Files.writeString(secret.resolve("username"), "bob\n");
    Files.writeString(secret.resolve("password"), PASSWORD + "\n");
    String url = "http://127.0.0.1:" + server.getPort() + "/repo.git";

    // when
    int exit = run(env("AGENT_GIT_URL", url, "AGENT_GIT_CREDENTIALS_DIR", secret.toString()));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.FAILED);
    assertThat(output()).contains("cannot clone").doesNotContain(PASSWORD);
    assertThat(authorizations).contains(basic("bob", PASSWORD));
  }

  @Test
  void shouldSendAPasswordFromTheEnvironmentWithTheDefaultUserName() {
    // when
    int exit =
        run(
            env(
                "AGENT_GIT_URL",
                "http://127.0.0.1:" + server.getPort() + "/repo.git",
                "AGENT_GIT_PASSWORD",
                PASSWORD));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.FAILED);
    assertThat(output()).doesNotContain(PASSWORD);
    assertThat(authorizations).contains(basic("git", PASSWORD));
  }

  @Test
  void shouldNotPrintAPasswordFromAnUnparseableUrl() {
    // given a URL JGit rejects, whose error message quotes the URL
    String url = "https://carol:" + PASSWORD + "@git.example.com:notaport/repo.git";

    // when
    int exit = run(env("AGENT_GIT_URL", url));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.FAILED);
    assertThat(output()).contains("cannot clone").doesNotContain(PASSWORD);
  }

  @Test
  void shouldNotPrintAPasswordWhenOptionsAreRejected() {
    // when the credentials are incomplete and the URL carries a token
    int exit =
        run(
            env(
                "AGENT_GIT_URL", "https://x:" + PASSWORD + "@git.example.com/repo.git",
                "AGENT_GIT_USERNAME", "dave",
                "AGENT_SNAPSHOT_MAX_FILE_BYTES", "-1"));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.USAGE);
    assertThat(output()).doesNotContain(PASSWORD);
  }

  private int run(Map<String, String> env) {
    return WorkspaceInitializer.run(
        env, List.of(), new PrintStream(output, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("AGENT_WORKSPACE_DIR", root.resolve("workspace").toString());
    env.put("AGENT_STATE_DIR", root.resolve("state").toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
