package dev.agentoperator.runner;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value built at its first use, then kept: for what the runner's start need not pay for (an
 * HTTP client's TLS set-up loads and parses the JDK's trust store, a few hundred classes). Safe
 * to share between threads; the supplier runs once, or again after it threw.
 */
public final class Lazy<T> implements Supplier<T> {

  private final Supplier<T> build;
  private volatile T value;

  private Lazy(Supplier<T> build) {
    this.build = build;
  }

  public static <T> Lazy<T> of(Supplier<T> build) {
    return new Lazy<>(Objects.requireNonNull(build));
  }

  @Override
  public T get() {
    T built = value;
    if (built == null) {
      synchronized (this) {
        built = value;
        if (built == null) {
          built = Objects.requireNonNull(build.get(), "a lazy value was built as null");
          value = built;
        }
      }
    }
    return built;
  }
}
