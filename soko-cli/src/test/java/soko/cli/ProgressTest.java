package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import soko.events.TransferEvent;

/** The progress line: never wider than the terminal, readable times left, colour only where wanted. */
class ProgressTest {
  @Test
  void aLineLeavesTheLastColumnsFreeAtAnyWidth() {
    List<String> files = List.of("ggml-base.bin", "a-very-long-file-name-of-a-model-weights-shard-00001-of-00009.safetensors",
        "音声モデル.bin", "x");
    List<String> notes = List.of("from huggingface.co, resuming at 143 MiB", "5.1 MiB/s, 1h 02m left", "verified", "");
    for (int columns = 1; columns <= 200; columns++) {
      for (String file : files) {
        for (String note : notes) {
          for (long done : new long[] {0, 150_000_000L, 300_000_000L}) {
            String line = Interaction.render(file, done, 300_000_000L, note, columns, true);
            String plain = Interaction.strip(line);
            assertThat(plain).doesNotContain("\n", "\r");
            assertThat(Format.width(plain)).as("%d columns: %s", columns, plain).isLessThanOrEqualTo(Math.max(1, columns - 3));
          }
        }
      }
    }
  }

  @Test
  void wideTerminalsGetEverythingAndNarrowOnesTheBarAndPercentFirst() {
    assertThat(Interaction.render("ggml-base.bin", 150 * 1024 * 1024L, 300 * 1024 * 1024L, "5.10 MiB/s, 3m 10s left", 100, false))
        .isEqualTo("ggml-base.bin [###############               ] 50% 150 MiB/300 MiB 5.10 MiB/s, 3m 10s left");
    assertThat(Interaction.render("ggml-base.bin", 150 * 1024 * 1024L, 300 * 1024 * 1024L, "5.10 MiB/s, 3m 10s left", 40, false))
        .isEqualTo("ggml-base.bin [########         ] 50%");
    assertThat(Interaction.render("model.bin", 150 * 1024 * 1024L, 300 * 1024 * 1024L, "5.10 MiB/s, 3m 10s left", 40, false))
        .isEqualTo("model.bin [##   ] 50% 150 MiB/300 MiB");
    assertThat(Interaction.render("a-very-long-file-name.safetensors", 0, 100, "", 20, false)).isEqualTo("a-ver… [     ] 0%");
  }

  @Test
  void colourOnlyWhenAsked() {
    assertThat(Interaction.render("f", 50, 100, "", 80, true)).contains("\033[32m#");
    assertThat(Interaction.render("f", 50, 100, "", 80, false)).doesNotContain("\033");
    assertThat(Terminal.colour(Map.of(), true)).isTrue();
    assertThat(Terminal.colour(Map.of(), false)).as("not a terminal").isFalse();
    assertThat(Terminal.colour(Map.of("NO_COLOR", "1"), true)).isFalse();
    assertThat(Terminal.colour(Map.of("NO_COLOR", ""), true)).as("no-color.org: only a non-empty value counts").isTrue();
    assertThat(Terminal.colour(Map.of("TERM", "dumb"), true)).isFalse();
  }

  @Test
  void timesLeftReadAsHoursMinutesOrSeconds() {
    assertThat(Format.eta(Duration.ofSeconds(12))).isEqualTo("12s");
    assertThat(Format.eta(Duration.ofMillis(11_200))).isEqualTo("12s");
    assertThat(Format.eta(Duration.ofSeconds(190))).isEqualTo("3m 10s");
    assertThat(Format.eta(Duration.ofSeconds(185))).isEqualTo("3m 05s");
    assertThat(Format.eta(Duration.ofSeconds(3720))).isEqualTo("1h 02m");
    assertThat(Format.eta(Duration.ofHours(27).plusMinutes(5))).isEqualTo("27h 05m");
    assertThat(Format.eta(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void theBarRedrawsOneLineInPlaceAndEndsItWhenTheFileIsDone() {
    StringWriter sink = new StringWriter();
    Interaction.Bar bar = new Interaction.Bar(new PrintWriter(sink), 40, false);
    bar.on(new TransferEvent.Started("model.bin", 1000, 0, "127.0.0.1:8080"));
    for (int i = 1; i <= 10; i++) {
      bar.on(new TransferEvent.Progress("model.bin", i * 100, 1000, 500, Optional.of(Duration.ofSeconds(10 - i))));
    }
    bar.on(new TransferEvent.Done("model.bin", "sha256:00", 1000, 1000));
    String out = sink.toString();
    assertThat(out.split("\n", -1)).hasSize(2); // one line: every update starts with \r on it
    assertThat(out).endsWith("\n").contains("\r\033[Kmodel.bin [").contains("100%");
    for (String update : out.split("\r\033\\[K")) {
      assertThat(Format.width(update.strip())).isLessThanOrEqualTo(37);
    }
  }

  @Test
  void keptBytesAddUpFromTheEventsAndTheDownloadersOwnFigure() {
    Interaction.Kept kept = new Interaction.Kept();
    kept.on(new TransferEvent.Done("a.bin", "sha256:00", 100 * 1024 * 1024L, 100 * 1024 * 1024L));
    kept.on(new TransferEvent.Progress("b.bin", 40 * 1024 * 1024L, 186 * 1024 * 1024L, 1, Optional.empty()));
    kept.exact("b.bin", 43 * 1024 * 1024L);
    assertThat(kept.describe()).isEqualTo("143 MiB of 286 MiB kept");
  }
}
