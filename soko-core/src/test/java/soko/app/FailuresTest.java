package soko.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import soko.store.StoreIOException;
import soko.store.StoreLockedException;
import soko.Reason;

class FailuresTest {
  @Test
  void eachFamilyHasItsReason() {
    assertThat(Failures.reason(new UnknownModelException("no model named x"))).isEqualTo(Reason.NOT_FOUND);
    assertThat(Failures.reason(new ConsentRequiredException("offline: x needs a download"))).isEqualTo(Reason.CONSENT);
    assertThat(Failures.reason(new StoreLockedException(Path.of("/store/refs.lock"), Duration.ofSeconds(5))))
        .isEqualTo(Reason.LOCKED);
    assertThat(Failures.reason(new StoreIOException("writing a blob", new IOException("No space left on device"))))
        .isEqualTo(Reason.STORAGE);
    assertThat(Failures.reason(new InvalidSettingException("SOKO_THREADS must be a number"))).isEqualTo(Reason.INVALID_INPUT);
  }

  @Test
  void aRegistryFailureTakesItsCausesReasonAndAnIoErrorIsTheNetwork() {
    assertThat(Failures.reason(new RegistryException("push", new ConsentRequiredException("offline")))).isEqualTo(Reason.CONSENT);
    assertThat(Failures.reason(new RegistryException("pull", new IOException("connection reset")))).isEqualTo(Reason.NETWORK);
  }

  @Test
  void anythingUnforeseenIsInternal() {
    assertThat(Failures.reason(new IllegalStateException("bug"))).isEqualTo(Reason.INTERNAL);
  }
}
