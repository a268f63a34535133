package dev.agentoperator.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {

  @Test
  void shouldBuildNothingUntilFirstUse() {
    AtomicInteger builds = new AtomicInteger();

    Lazy<String> lazy = Lazy.of(() -> "built " + builds.incrementAndGet());

    assertThat(builds).hasValue(0);
    assertThat(lazy.get()).isEqualTo("built 1");
    assertThat(lazy.get()).isEqualTo("built 1");
    assertThat(builds).hasValue(1);
  }

  @Test
  void shouldBuildOnceWhenManyThreadsAskAtOnce() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    Lazy<Object> lazy = Lazy.of(() -> {
      builds.incrementAndGet();
      return new Object();
    });
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        seen.add(lazy.get());
      }));
    }

    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(builds).hasValue(1);
    assertThat(seen).hasSize(8).containsOnly(seen.getFirst());
  }

  @Test
  void shouldBuildAgainAfterAFailedBuild() {
    AtomicInteger builds = new AtomicInteger();
    Lazy<String> lazy = Lazy.of(() -> {
      if (builds.incrementAndGet() == 1) {
        throw new IllegalStateException("first build fails");
      }
      return "second";
    });

    assertThatThrownBy(lazy::get).hasMessage("first build fails");
    assertThat(lazy.get()).isEqualTo("second");
  }
}
