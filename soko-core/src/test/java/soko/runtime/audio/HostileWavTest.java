package soko.runtime.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import soko.runtime.AudioFormatException;
import soko.runtime.AudioStream;
import soko.testkit.corpus.Corpus;
import soko.testkit.corpus.GeneratedWavs;

/**
 * The WAV corpus ({@code soko-testkit}: {@code soko/testkit/corpus/wavs/}) through the reader:
 * what {@code soko vad} accepts decodes, whole and as a stream; the rest is refused with its
 * one-line message. (Cases about the file rather than its content, such as a FIFO, are the CLI's:
 * see its HostileCorpusTest.)
 */
class HostileWavTest {
  /** Generated cases refused for their content, which the reader sees. */
  static final Set<String> CONTENT = Set.of("generated:longer-than-two-hours.wav", "generated:larger-than-two-gibibytes.wav");

  @TempDir
  Path dir;

  static Stream<Corpus.Case> readable() {
    return Corpus.wavs().stream().filter(c -> !c.file().startsWith("generated:") || CONTENT.contains(c.file()));
  }

  @Test
  void theCorpusHoldsAtLeastFiftyWavFiles() {
    assertThat(Corpus.wavs()).hasSizeGreaterThanOrEqualTo(50);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readable")
  void eachFileDecodesOrIsRefusedWithItsOneLineMessage(Corpus.Case c) throws Exception {
    Path file = c.file().startsWith("generated:") ? GeneratedWavs.make(c, dir).orElseThrow() : c.writeTo(dir, dir);

    if (c.exit() == 0) {
      float[] whole = Wav.read(file).toArray();
      try (AudioStream s = Wav.open(file)) {
        assertThat(WavStreamTest.readAll(s, 1000)).isEqualTo(whole);
      }
    } else {
      assertThatThrownBy(() -> Wav.read(file))
          .isInstanceOf(AudioFormatException.class)
          .satisfies(e -> assertThat(e.getMessage()).startsWith(file.getFileName() + ": ").contains(c.fragment())
              .doesNotContain("\n").doesNotContain("\u001b"));
      assertThatThrownBy(() -> {
        try (AudioStream s = Wav.open(file)) {
          WavStreamTest.readAll(s, 1000);
        }
      }).as("the stream refuses it too").isInstanceOf(AudioFormatException.class).hasMessageContaining(c.fragment());
    }
  }
}
