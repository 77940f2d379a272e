package soko.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.runtime.Audio;
import soko.runtime.AudioStream;
import soko.runtime.Segment;
import soko.runtime.audio.Wav;
import soko.runtime.manager.Engines;
import soko.runtime.manager.ModelUse;
import soko.runtime.manager.Transcript;

@Command(name = "transcribe", header = "Transcribe Japanese or Korean speech in a WAV file.",
    description = {"Voice activity detection finds speech, then the installed recogniser (alias ja-asr or ko-asr)"
        + " reads each speech region.",
        "With --translate, English text instead (alias ja-en-speech or ko-en-speech)."})
final class TranscribeCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "FILE.wav", description = "A PCM or float WAV file, any rate from 8 to 48 kHz.")
  Path file;

  @Option(names = "--lang", required = true, paramLabel = "ja|ko", description = "The spoken language: ${COMPLETION-CANDIDATES}.")
  SourceLanguage lang;

  @Option(names = "--translate", description = "Translate the speech into English text.")
  boolean translate;

  @Override
  public Integer call() throws Exception {
    Runs.checkWav(file);
    Engines engines = root.soko().runtime();
    try {
      Transcript t;
      try {
        // Finds both models before it opens the file (a missing recogniser fails before any audio
        // is read), then reads it twice, block by block: once for VAD, once for the recogniser.
        t = engines.transcribe(Wav.source(file), lang.language, translate);
      } catch (java.io.IOException e) {
        throw Runs.unreadable(file, e);
      }
      long samples;
      try (AudioStream header = Runs.openWav(file)) {
        samples = header.length();
      }
      if (root.global.json) {
        var o = Runs.object();
        o.put("file", file.toString());
        o.put("audioSeconds", samples / (double) Audio.SAMPLE_RATE);
        o.put("language", t.spoken().code());
        o.put("textLanguage", t.english() ? "en" : t.spoken().code());
        Runs.segments(o, "segments", t.segments(), true);
        Runs.segments(o, "speech", t.speech(), false);
        Runs.models(o, t.models());
        Runs.timings(o, t.timings());
        root.out.print(Runs.write(o));
      } else {
        root.out.printf(java.util.Locale.ROOT, "%s: %.2f s of audio, %d speech segment%s (%s)%n", Display.safe(file.getFileName()),
            samples / (double) Audio.SAMPLE_RATE, t.speech().size(), t.speech().size() == 1 ? "" : "s",
            t.speech().stream().map(s -> Runs.seconds(s.start()) + "–" + Runs.seconds(s.end()) + " s")
                .collect(Collectors.joining(", ")));
        if (t.segments().isEmpty()) {
          root.out.println(t.speech().isEmpty() ? "  (no speech found)" : "  (the recogniser returned no text)");
        }
        for (Segment s : t.segments()) {
          root.out.println("  [" + Runs.seconds(s.start()) + " → " + Runs.seconds(s.end()) + "] " + Display.safe(s.text()));
        }
        root.out.println("models: " + t.models().stream().map(ModelUse::describe).collect(Collectors.joining("; ")));
        root.out.println("timings: " + Runs.timings(t.timings()));
      }
      return ExitCode.OK;
    } finally {
      engines.close();
    }
  }
}
