package dev.agentoperator.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process when the leader lease is lost while running, so a replica that may no longer
 * reconcile restarts as a follower; a deliberate stop disarms it first, so stopping an in-process
 * operator (tests, the local cluster) does not end the JVM.
 */
final class LeaseLossExit extends LeaderCallbacks {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseLossExit.class);

  private final AtomicBoolean armed;

  LeaseLossExit() {
    this(new AtomicBoolean(true));
  }

  private LeaseLossExit(AtomicBoolean armed) {
    super(
        () -> LOG.info("leader lease acquired; reconciling"),
        () -> {
          if (armed.get()) {
            LOG.error("leader lease lost; exiting so another replica takes over");
            System.exit(1);
          }
        },
        leader -> LOG.info("leader is now {}", leader));
    this.armed = armed;
  }

  /** Called before a deliberate stop: losing the lease then is expected. */
  void disarm() {
    armed.set(false);
  }
}
