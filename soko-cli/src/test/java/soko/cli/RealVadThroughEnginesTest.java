package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Settings;
import soko.app.Soko;
import soko.runtime.VoiceActivitySession;
import soko.runtime.audio.Wav;
import soko.runtime.manager.Engines;
import soko.runtime.manager.Lease;
import soko.runtime.manager.SpeechRegions;
import soko.testkit.TestAudio;

/** The runtime manager with the real Silero VAD model and ONNX Runtime engine found by ServiceLoader. */
class RealVadThroughEnginesTest {
  @TempDir
  Path home;

  @Test
  void theManagerResolvesVerifiesLoadsOnceAndFindsTheJapaneseSentence() throws Exception {
    Soko soko = Soko.open(Settings.resolve(java.util.Map.of(), System.getProperties(), Optional.of(home), Optional.empty(),
        false));
    soko.install("silero-vad");
    try (Engines engines = soko.runtime()) {
      SpeechRegions r = engines.detectSpeech(Wav.read(TestAudio.JA_16K_MONO.path()));
      assertThat(r.model().model()).isEqualTo("silero-vad@6.0.0");
      assertThat(r.segments()).singleElement().satisfies(s -> {
        assertThat(s.start().toMillis()).isBetween(1000L, 1100L);
        assertThat(s.end().toMillis()).isBetween(3000L, 3600L);
      });
      try (Lease<VoiceActivitySession> a = engines.vad(); Lease<VoiceActivitySession> b = engines.vad()) {
        assertThat(a.session()).isSameAs(b.session());
        assertThat(a.model().load()).as("already loaded by detectSpeech").isZero();
      }
      assertThat(engines.loads()).isEqualTo(1);
    }
  }
}
