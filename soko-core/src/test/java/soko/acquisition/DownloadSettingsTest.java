package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownloadSettingsTest {
  @Test
  void backoffDoublesFromTheInitialDelayUpToTheMaximum() {
    DownloadSettings s = DownloadSettings.DEFAULTS.withRetries(8, Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(s::backoff))
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5),
            Duration.ofSeconds(5));
  }
}
