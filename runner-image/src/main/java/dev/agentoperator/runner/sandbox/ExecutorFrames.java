package dev.agentoperator.runner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The executor channel's framing: one JSON object per frame, a 4-byte big-endian length first. A
 * connection carries one request (runner to sandbox) and one answer; the runner closing it early
 * cancels the call. Every read is capped, since the sandbox side is the agent's.
 *
 * <p>Request: {@code {"tool": "shell", "arguments": {...}}}. Answer: {@code {"content": "...",
 * "error": false}}.
 */
public final class ExecutorFrames {

  /** The most a request may carry (a {@code write_file} of a large file). */
  public static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

  /** The most an answer may carry; tool results are capped far below it on both sides. */
  public static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

  static final ObjectMapper JSON = new ObjectMapper();

  private ExecutorFrames() {}

  static void write(WritableByteChannel channel, JsonNode message) throws IOException {
    byte[] body = JSON.writeValueAsBytes(message);
    ByteBuffer frame = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
    while (frame.hasRemaining()) {
      channel.write(frame);
    }
  }

  /** Reads one frame of at most {@code maxBytes}; {@link EOFException} when the peer closed. */
  static JsonNode read(ReadableByteChannel channel, int maxBytes) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4);
    readFully(channel, header);
    int length = header.flip().getInt();
    if (length < 0 || length > maxBytes) {
      throw new ProtocolException(
          "a frame of " + Integer.toUnsignedString(length) + " bytes exceeds the cap of " + maxBytes);
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    readFully(channel, body);
    JsonNode node = JSON.readTree(body.array());
    if (node == null || !node.isObject()) {
      throw new ProtocolException("a frame is not a JSON object");
    }
    return node;
  }

  private static void readFully(ReadableByteChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("the peer closed the connection");
      }
    }
  }
}
