package dev.agentoperator.operator.runnerclient;

import dev.agentoperator.contract.runner.EventList;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JOSDK event source that long-polls each active run's event stream on its own virtual thread and
 * triggers a reconcile of the AgentRun when events arrive, so progress, not a timer, drives
 * reconciliation. Events are buffered per run (bounded) until the reconciler drains them.
 *
 * <p>A poller reconnects with exponential backoff, resumes from the last seq it received, and ends
 * when the runner reports the run finished or the reconciler calls {@link #unwatch}.
 */
public class RunnerEventSource extends AbstractEventSource<RunEvent, AgentRun> {

  private static final Logger LOG = LoggerFactory.getLogger(RunnerEventSource.class);

  /** Only the latest events matter for status (counters come from the summary): keep a window. */
  static final int BUFFER_LIMIT = 512;

  private final RunnerClient client;
  private final Settings settings;
  private final Map<ResourceID, Poller> pollers = new ConcurrentHashMap<>();

  /** How long to wait per poll and how to back off when the runner cannot be reached. */
  public record Settings(int waitSeconds, Duration initialBackoff, Duration maxBackoff) {

    /** Production values: 30 s long-polls, backoff from 500 ms to 30 s. */
    public static Settings defaults() {
      return new Settings(30, Duration.ofMillis(500), Duration.ofSeconds(30));
    }
  }

  public RunnerEventSource(RunnerClient client, Settings settings) {
    super(RunEvent.class, "runner-events");
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Polls the run {@code uid} at {@code endpoint}, starting after {@code afterSeq} (or after the
   * newest seq already received, if larger). A call for a run already polled at the same endpoint
   * does nothing, so the reconciler can call it on every reconcile.
   */
  public void watch(ResourceID run, String uid, RunnerEndpoint endpoint, long afterSeq) {
    pollers.compute(
        run,
        (id, existing) -> {
          if (existing != null
              && existing.uid.equals(uid)
              && existing.endpoint.equals(endpoint)
              && existing.isAlive()) {
            return existing;
          }
          long start = afterSeq;
          ArrayDeque<RunEvent> kept = new ArrayDeque<>();
          if (existing != null) {
            existing.stop();
            if (existing.uid.equals(uid)) {
              start = Math.max(start, existing.lastSeq());
              kept = existing.takeBuffer();
            }
          }
          Poller poller = new Poller(id, uid, endpoint, start, kept);
          poller.start();
          return poller;
        });
  }

  /** Stops polling the run and forgets its buffered events. */
  public void unwatch(ResourceID run) {
    Poller poller = pollers.remove(run);
    if (poller != null) {
      poller.stop();
    }
  }

  /** True while a poller for the run exists and has not ended. */
  public boolean isWatching(ResourceID run) {
    Poller poller = pollers.get(run);
    return poller != null && poller.isAlive();
  }

  /** Takes the events buffered for the run since the last call, oldest first. */
  public List<RunEvent> drain(ResourceID run) {
    Poller poller = pollers.get(run);
    return poller == null ? List.of() : List.copyOf(poller.takeBuffer());
  }

  /** The newest seq received for the run, or 0 when none. */
  public long lastSeq(ResourceID run) {
    Poller poller = pollers.get(run);
    return poller == null ? 0 : poller.lastSeq();
  }

  /** Asks JOSDK to reconcile {@code run} now (used when one run's end frees its session). */
  public void trigger(ResourceID run) {
    if (isRunning() && getEventHandler() != null) {
      getEventHandler().handleEvent(new Event(run));
    }
  }

  @Override
  public Set<RunEvent> getSecondaryResources(AgentRun primary) {
    return Set.of();
  }

  @Override
  public void stop() {
    pollers.values().forEach(Poller::stop);
    pollers.clear();
    super.stop();
  }

  /** Polls one run until it ends or is stopped. */
  private final class Poller implements Runnable {
    private final ResourceID run;
    private final String uid;
    private final RunnerEndpoint endpoint;
    private ArrayDeque<RunEvent> buffer;
    private volatile long lastSeq;
    private volatile boolean stopped;
    private Thread thread;

    Poller(
        ResourceID run,
        String uid,
        RunnerEndpoint endpoint,
        long start,
        ArrayDeque<RunEvent> kept) {
      this.run = run;
      this.uid = uid;
      this.endpoint = endpoint;
      this.lastSeq = start;
      this.buffer = kept;
    }

    void start() {
      thread = Thread.ofVirtual().name("runner-events-" + run.getName()).start(this);
    }

    void stop() {
      stopped = true;
      if (thread != null) {
        thread.interrupt();
      }
    }

    boolean isAlive() {
      return !stopped && thread != null && thread.isAlive();
    }

    long lastSeq() {
      return lastSeq;
    }

    synchronized ArrayDeque<RunEvent> takeBuffer() {
      ArrayDeque<RunEvent> taken = buffer;
      buffer = new ArrayDeque<>();
      return taken;
    }

    private synchronized void append(List<RunEvent> events) {
      for (RunEvent event : events) {
        if (event.seq() <= lastSeq) {
          continue;
        }
        buffer.addLast(event);
        lastSeq = event.seq();
        if (buffer.size() > BUFFER_LIMIT) {
          buffer.removeFirst();
        }
      }
    }

    @Override
    public void run() {
      Duration backoff = settings.initialBackoff();
      boolean failing = false;
      while (!stopped) {
        RunnerReply<EventList> reply =
            client.events(endpoint, uid, lastSeq, settings.waitSeconds());
        if (stopped) {
          return;
        }
        if (reply.isSuccess()) {
          backoff = settings.initialBackoff();
          failing = false;
          EventList page = reply.body();
          if (!page.eventsOrEmpty().isEmpty()) {
            append(page.eventsOrEmpty());
            trigger(run);
          }
          if (RunPhase.isFinal(page.phase()) && lastSeq >= page.lastSeq()) {
            LOG.debug("run ended in runner, polling stops: run={} phase={}", run, page.phase());
            trigger(run);
            stopped = true;
            return;
          }
          continue;
        }
        if (!failing) {
          // Tell the reconciler once per failure streak: the pod may be gone or replaced.
          LOG.info("runner events unavailable: run={} outcome={}", run, reply.outcome());
          trigger(run);
          failing = true;
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          return;
        }
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(settings.maxBackoff()) > 0) {
          backoff = settings.maxBackoff();
        }
      }
    }
  }
}
