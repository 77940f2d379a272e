package soko.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import soko.app.Soko;
import soko.manifest.Language;
import soko.runtime.Audio;
import soko.runtime.EngineException;
import soko.runtime.Segment;
import soko.runtime.audio.Wav;
import soko.runtime.manager.Engines;
import soko.runtime.manager.SpeechRegions;
import soko.runtime.manager.Translation;
import soko.store.StoreException;

/** The part of {@code soko demo} that runs the bundled models on bundled inputs. */
final class DemoRun {
  /** A 4.5 s espeak-ng clip of こんにちは、きょうはいいてんきですね with 1 s of silence at each end. */
  static final String WAV = "soko/demo/ja-16k-mono.wav";
  static final List<String> JAPANESE = List.of("おはようございます", "ありがとうございます", "駅はどこですか");
  static final List<String> KOREAN = List.of("안녕하세요", "감사합니다");

  private DemoRun() {}

  static void run(Soko soko, PrintWriter out) throws EngineException, StoreException, IOException {
    Engines engines = soko.runtime();
    try {
      Audio audio;
      try (InputStream in = DemoRun.class.getResourceAsStream("/" + WAV)) {
        if (in == null) {
          throw new IOException(WAV + " is missing from the soko-cli jar; rebuild it");
        }
        audio = Wav.read(in, WAV);
      }
      out.println();
      out.println("Voice activity detection on a bundled Japanese clip (" + WAV.substring(WAV.lastIndexOf('/') + 1) + "):");
      SpeechRegions r = engines.detectSpeech(audio);
      for (Segment s : r.segments()) {
        out.println("  speech " + Runs.seconds(s.start()) + " s – " + Runs.seconds(s.end()) + " s of "
            + String.format(java.util.Locale.ROOT, "%.2f", r.audioSeconds()) + " s");
      }
      out.println("  model: " + r.model().describe() + "; " + Runs.timings(r.timings()));
      out.println();
      out.println("Translation with the DEMO phrasebook (fixed phrases only; this is NOT real machine translation):");
      translate(engines, out, JAPANESE, Language.JA);
      translate(engines, out, KOREAN, Language.KO);
    } finally {
      engines.close();
    }
  }

  private static void translate(Engines engines, PrintWriter out, List<String> texts, Language from)
      throws EngineException, StoreException {
    Translation last = null;
    for (String text : texts) {
      last = engines.translate(text, from, Language.EN);
      out.println("  " + from + "  " + text + "  →  " + Display.safe(last.text()));
    }
    if (last != null) {
      out.println("     by " + last.model().describe());
    }
  }
}
