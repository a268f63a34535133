package dev.agentoperator.operator.dev.kubelet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out one loopback address per local pod (127.0.0.2 to 127.0.0.254), the way a CNI hands out
 * pod IPs: every runner can then listen on the same port. An address whose probe port is taken by
 * some other process on this machine is skipped.
 */
final class LoopbackAddresses {

  private static final int FIRST = 2;
  private static final int LAST = 254;

  private final int probePort;
  private final Set<Integer> inUse = new HashSet<>();
  private int next = FIRST;

  LoopbackAddresses(int probePort) {
    this.probePort = probePort;
  }

  /** A free address, e.g. {@code 127.0.0.7}. */
  synchronized String allocate() {
    for (int tried = 0; tried <= LAST - FIRST; tried++) {
      int candidate = next;
      next = next == LAST ? FIRST : next + 1;
      if (!inUse.contains(candidate) && portFree(candidate)) {
        inUse.add(candidate);
        return address(candidate);
      }
    }
    throw new IllegalStateException(
        "no free loopback address in 127.0.0." + FIRST + "-" + LAST + " with port " + probePort);
  }

  /** Returns an address for a later pod. */
  synchronized void release(String address) {
    inUse.remove(Integer.parseInt(address.substring(address.lastIndexOf('.') + 1)));
  }

  private boolean portFree(int host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(address(host)), probePort));
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      return false;
    }
  }

  private static String address(int host) {
    return "127.0.0." + host;
  }
}
