package dev.agentoperator.runner.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.runner.sandbox.SandboxExecutor;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The runner's client of one MCP server for one run, through the official MCP Java SDK: a stdio
 * server through the sandbox executor's relay, an http server over Streamable HTTP with the
 * session's headers. Opening initializes the session and lists the tools; a server that dies later
 * makes every call an error that says so.
 */
final class McpConnection implements AutoCloseable {

  /** The most tool pages read from one server (a server paginating forever stops here). */
  static final int MAX_TOOL_PAGES = 10;

  private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** How long a failed call waits to learn whether the server died (see deathSoonAfter). */
  private static final Duration DEATH_GRACE = Duration.ofSeconds(2);

  private final McpServerSpec spec;
  private final McpSyncClient client;
  private final CompletableFuture<String> ended;
  private final List<McpSchema.Tool> tools;

  private McpConnection(
      McpServerSpec spec,
      McpSyncClient client,
      CompletableFuture<String> ended,
      List<McpSchema.Tool> tools) {
    this.spec = spec;
    this.client = client;
    this.ended = ended;
    this.tools = tools;
  }

  /**
   * Starts (stdio) or reaches (http) the server, initializes it and lists its tools within {@code
   * startTimeout}; a server that cannot is an {@link McpUnavailableException} saying why.
   */
  static McpConnection open(McpServerSpec spec, SandboxExecutor sandbox, Duration startTimeout)
      throws McpUnavailableException, InterruptedException {
    McpClientTransport transport;
    CompletableFuture<String> ended;
    if (spec.stdio() != null) {
      try {
        RelayClientTransport relay =
            new RelayClientTransport(
                sandbox.openRelay(spec.stdio().command(), spec.stdio().args(), spec.stdio().env()),
                JSON);
        transport = relay;
        ended = relay.ended();
      } catch (IOException e) {
        throw new McpUnavailableException("cannot start it in the sandbox: " + e.getMessage());
      }
    } else {
      Map<String, String> headers = headers(spec.http().headersDir());
      transport =
          HttpClientStreamableHttpTransport.builder(spec.http().url())
              .jsonMapper(JSON)
              .connectTimeout(startTimeout)
              .httpRequestCustomizer(
                  (builder, method, uri, body, context) -> headers.forEach(builder::header))
              .build();
      ended = new CompletableFuture<>(); // an http server has no process to die
    }
    McpSyncClient client =
        McpClient.sync(transport)
            .clientInfo(new McpSchema.Implementation("agent-runner", "0.1.0"))
            .requestTimeout(startTimeout)
            .initializationTimeout(startTimeout)
            .build();
    try {
      List<McpSchema.Tool> tools =
          untilDeath(
              ended,
              () -> {
                client.initialize();
                return listTools(client);
              },
              startTimeout);
      return new McpConnection(spec, client, ended, tools);
    } catch (McpUnavailableException e) {
      closeAbandoned(client, transport);
      throw new McpUnavailableException("it did not initialize: " + e.getMessage());
    } catch (InterruptedException e) {
      closeAbandoned(client, transport);
      throw e;
    }
  }

  /**
   * Closes a client whose initialization failed. A server that died before the SDK had created
   * its session makes the SDK's close throw (a NullPointerException in 2.1.0), so the transport is
   * closed directly as well: that ends the relay, and with it the server's process.
   */
  private static void closeAbandoned(McpSyncClient client, McpClientTransport transport) {
    try {
      client.close();
    } catch (RuntimeException e) {
      // no session to close: the transport below is all there is
    }
    try {
      transport.close();
    } catch (RuntimeException e) {
      // already closed
    }
  }

  private static List<McpSchema.Tool> listTools(McpSyncClient client) {
    List<McpSchema.Tool> tools = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < MAX_TOOL_PAGES; page++) {
      McpSchema.ListToolsResult result = client.listTools(cursor);
      if (result.tools() != null) {
        tools.addAll(result.tools());
      }
      cursor = result.nextCursor();
      if (cursor == null || cursor.isEmpty()) {
        break;
      }
    }
    return List.copyOf(tools);
  }

  McpServerSpec spec() {
    return spec;
  }

  /** The server's tools as it listed them at the start of the run. */
  List<McpSchema.Tool> tools() {
    return tools;
  }

  /** Why the server is gone, or null while it runs. */
  String deathReason() {
    return ended.getNow(null);
  }

  /**
   * Calls {@code tool}; waits at most {@code timeout}, and no longer once the server died. Throws
   * {@link McpUnavailableException} when the server is gone or does not answer in time.
   */
  McpSchema.CallToolResult call(String tool, Map<String, Object> arguments, Duration timeout)
      throws McpUnavailableException, InterruptedException {
    String dead = deathReason();
    if (dead != null) {
      throw new McpUnavailableException("it is not running: " + dead);
    }
    return untilDeath(
        ended,
        () -> client.callTool(new McpSchema.CallToolRequest(tool, arguments)),
        timeout);
  }

  /**
   * Runs {@code work} (a blocking SDK call) on its own thread and waits for it, at most {@code
   * timeout} and no longer than the server lives: a dead stdio server fails the wait at once
   * instead of leaving the SDK waiting for its request timeout.
   */
  private static <T> T untilDeath(
      CompletableFuture<String> ended, Supplier<T> work, Duration timeout)
      throws McpUnavailableException, InterruptedException {
    CompletableFuture<T> call =
        CompletableFuture.supplyAsync(work, r -> Thread.ofVirtual().name("mcp-call").start(r));
    try {
      CompletableFuture.anyOf(call, ended).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new McpUnavailableException(
          "no answer within " + timeout.toSeconds() + " s; the call was abandoned");
    } catch (ExecutionException e) {
      // reported below from the call itself
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    }
    if (!call.isDone()) {
      throw new McpUnavailableException("it died: " + ended.getNow(""));
    }
    try {
      return call.join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String dead =
          ended.isDone() || root(cause) instanceof IOException
              ? deathSoonAfter(ended)
              : null;
      throw new McpUnavailableException(dead != null ? "it died: " + dead : describe(cause));
    }
  }

  /**
   * Why the server ended, if it did within {@link #DEATH_GRACE}. A write to a server that has just
   * exited fails ("Broken pipe") a moment before the relay's reader sees the end; that reason,
   * not the broken pipe, tells the user what happened.
   */
  private static String deathSoonAfter(CompletableFuture<String> ended)
      throws InterruptedException {
    try {
      return ended.get(DEATH_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    }
  }

  /** One header per regular file of the mounted Secret (name = file name), read at connect. */
  private static Map<String, String> headers(Path dir) throws McpUnavailableException {
    Map<String, String> headers = new TreeMap<>();
    if (dir == null) {
      return headers;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        // Secret volumes hold ..data and ..<timestamp> links beside the keys; the keys are links
        // into them, so follow links but only for names that can be headers.
        if (!HEADER_NAME.matcher(name).matches() || !Files.isRegularFile(file)) {
          continue;
        }
        headers.put(name, Files.readString(file, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new McpUnavailableException("cannot read its headers from " + dir + ": " + e.getMessage());
    }
    return headers;
  }

  private static Throwable root(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String describe(Throwable e) {
    Throwable root = root(e);
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (RuntimeException e) {
      // closing a broken session: nothing left to do
    }
    ended.complete("closed by the runner");
  }
}
