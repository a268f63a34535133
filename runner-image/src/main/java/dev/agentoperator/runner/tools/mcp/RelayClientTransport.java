package dev.agentoperator.runner.tools.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The MCP stdio transport over the executor's relay (see {@code StdioRelay}): newline-delimited
 * JSON-RPC on a Unix-socket connection to a process in the sandbox container. What arrives is the
 * agent's (the server runs with its rights), so a line is capped; a longer one, malformed JSON or
 * the connection closing ends the transport, and {@link #ended()} says why.
 */
final class RelayClientTransport implements McpClientTransport {

  /** The longest JSON-RPC line accepted from the server. */
  static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

  private final SocketChannel channel;
  private final McpJsonMapper json;
  private final OutputStream out;
  private final CompletableFuture<String> ended = new CompletableFuture<>();

  RelayClientTransport(SocketChannel channel, McpJsonMapper json) {
    this.channel = channel;
    this.json = json;
    this.out = Channels.newOutputStream(channel);
  }

  /** Completes with the reason once the server's side is gone (exited, closed, broke protocol). */
  CompletableFuture<String> ended() {
    return ended;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return Mono.fromRunnable(
        () ->
            Thread.ofVirtual()
                .name("mcp-relay-read")
                .start(() -> readLoop(handler)));
  }

  private void readLoop(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    String reason = "the server closed its output (it exited)";
    try (InputStream in = new BufferedInputStream(Channels.newInputStream(channel))) {
      String line;
      while ((line = readLine(in)) != null) {
        if (line.isBlank()) {
          continue;
        }
        McpSchema.JSONRPCMessage message;
        try {
          message = McpSchema.deserializeJsonRpcMessage(json, line);
        } catch (IOException | IllegalArgumentException e) {
          reason = "the server wrote something that is not JSON-RPC on stdout";
          break;
        }
        handler.apply(Mono.just(message)).subscribe();
      }
    } catch (LineTooLong e) {
      reason = "the server sent a line longer than " + MAX_LINE_BYTES + " bytes";
    } catch (IOException e) {
      reason = channel.isOpen() ? "the connection broke: " + e.getMessage() : "closed by the runner";
    } finally {
      closeChannel();
      ended.complete(reason);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new LineTooLong();
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.fromRunnable(
        () -> {
          if (ended.isDone()) {
            throw new IllegalStateException("the MCP server is gone: " + ended.join());
          }
          try {
            byte[] bytes = (json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
              out.write(bytes);
              out.flush();
            }
          } catch (IOException e) {
            throw new IllegalStateException("cannot write to the MCP server: " + e.getMessage(), e);
          }
        });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(this::closeChannel);
  }

  private void closeChannel() {
    try {
      channel.close(); // the executor kills the server's process tree
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return json.convertValue(data, typeRef);
  }

  private static final class LineTooLong extends IOException {
    LineTooLong() {
      super("line too long");
    }
  }
}
