package dev.agentoperator.runner.tools.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drains a process's output on a virtual thread, keeping at most {@code capBytes}: the first half
 * and the last half, counting the bytes cut in between. Draining continuously matters: a child
 * blocked on a full pipe would never exit.
 */
final class CappedOutput {

  private final byte[] head;
  private final byte[] tail;
  private int headSize;
  private long tailWritten;
  private long total;
  private final CountDownLatch closed = new CountDownLatch(1);

  private CappedOutput(int capBytes) {
    int headCap = capBytes / 2;
    this.head = new byte[headCap];
    this.tail = new byte[capBytes - headCap];
  }

  /** Starts draining {@code in} until it reaches end of stream. */
  static CappedOutput drain(InputStream in, int capBytes) {
    CappedOutput output = new CappedOutput(capBytes);
    Thread.ofVirtual()
        .name("shell-output")
        .start(
            () -> {
              byte[] buffer = new byte[8192];
              try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  output.append(buffer, read);
                }
              } catch (IOException | UncheckedIOException e) {
                // The stream was closed under us (the process was killed): keep what we have.
              } finally {
                output.closed.countDown();
              }
            });
    return output;
  }

  /** Waits until every writer closed the output; false if {@code timeout} passed first. */
  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void append(byte[] buffer, int length) {
    total += length;
    int offset = 0;
    if (headSize < head.length) {
      int n = Math.min(head.length - headSize, length);
      System.arraycopy(buffer, 0, head, headSize, n);
      headSize += n;
      offset = n;
    }
    while (offset < length) {
      int at = (int) (tailWritten % tail.length);
      int n = Math.min(length - offset, tail.length - at);
      System.arraycopy(buffer, offset, tail, at, n);
      tailWritten += n;
      offset += n;
    }
  }

  /**
   * The output so far as text: whole if it fit, else head, a line saying how much was cut, tail.
   */
  synchronized String text() {
    String headText = new String(head, 0, headSize, StandardCharsets.UTF_8);
    if (tailWritten <= tail.length) {
      return headText + new String(tailBytes(), StandardCharsets.UTF_8);
    }
    long cut = total - headSize - tail.length;
    return headText
        + "\n[... "
        + cut
        + " bytes of output cut ...]\n"
        + new String(tailBytes(), StandardCharsets.UTF_8);
  }

  /** How many bytes the process wrote in all. */
  synchronized long totalBytes() {
    return total;
  }

  private byte[] tailBytes() {
    int size = (int) Math.min(tailWritten, tail.length);
    byte[] bytes = new byte[size];
    long start = tailWritten - size;
    for (int i = 0; i < size; i++) {
      bytes[i] = tail[(int) ((start + i) % tail.length)];
    }
    return bytes;
  }
}
