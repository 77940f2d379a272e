package soko.acquisition;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every source of a file with several sources failed. {@link #failures()} (also attached as
 * suppressed exceptions) holds the last failure of each source, in the order tried.
 */
public final class SourcesExhaustedException extends AcquisitionException {
  /** The last failure of each source, in the order tried. */
  private final List<AcquisitionException> failures;

  SourcesExhaustedException(String file, List<AcquisitionException> failures) {
    super(file, "all " + failures.size() + " sources failed: "
        + failures.stream().map(AcquisitionException::problem).collect(Collectors.joining("; then ")),
        failures.stream().anyMatch(AcquisitionException::isRetryWorthy)
            ? "check the network connection and try again later" : "fix the manifest's sources",
        failures.getLast());
    this.failures = List.copyOf(failures);
    for (int i = 0; i < failures.size() - 1; i++) {
      addSuppressed(failures.get(i));
    }
  }

  /**
   * Why each source failed.
   *
   * @return the last failure of each source, in the order tried; at least two; unmodifiable
   */
  public List<AcquisitionException> failures() {
    return failures;
  }

  /** True when every source sent bytes that did not match the manifest. */
  @Override
  public boolean wrongBytes() {
    return failures.stream().allMatch(AcquisitionException::wrongBytes);
  }

  /** True when at least one source failed in a way that may pass later. */
  @Override
  public boolean isRetryWorthy() {
    return failures.stream().anyMatch(AcquisitionException::isRetryWorthy);
  }
}
