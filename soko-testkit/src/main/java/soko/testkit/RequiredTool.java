package soko.testkit;

import java.util.Optional;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The guard for tests that need a real tool (nginx, docker-registry, Chromium). On a developer's
 * machine a missing tool skips the test and prints why; under {@code CI=true} it fails the test,
 * so a broken CI install cannot turn tests into silent skips.
 */
public final class RequiredTool {
  /** The command that installs every tool the tests need (Debian). */
  public static final String INSTALL = "bin/install-test-deps.sh";

  private RequiredTool() {}

  /**
   * Returns when {@code whyMissing} is empty. Otherwise fails the calling test under {@code CI=true}
   * and skips it elsewhere; both say why and how to install the tool.
   *
   * @param whyMissing the tool's own reason, such as {@code Nginx.unavailableReason()}; it names the package
   */
  public static void require(Optional<String> whyMissing) {
    if (whyMissing.isEmpty()) {
      return;
    }
    String why = whyMissing.get() + " (" + INSTALL + " installs every test tool)";
    if (onCi()) {
      throw new AssertionFailedError("CI=true, so this test may not skip: " + why);
    }
    System.out.println("skipped: " + why);
    throw new TestAbortedException("skipped: " + why);
  }

  /** True when the environment variable {@code CI} is {@code true}, as on every CI service. */
  public static boolean onCi() {
    return "true".equals(System.getenv("CI"));
  }
}
