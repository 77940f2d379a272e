package soko.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.runtime.AudioStream;
import soko.runtime.Segment;
import soko.runtime.manager.Engines;
import soko.runtime.manager.Need;
import soko.runtime.manager.SpeechRegions;

@Command(name = "vad", header = "Find speech in a WAV file.",
    description = "With the installed voice activity detection model (alias vad).")
final class VadCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "FILE.wav", description = "A PCM or float WAV file, any rate from 8 to 48 kHz, mono or multichannel.")
  Path file;

  @Override
  public Integer call() throws Exception {
    Runs.checkWav(file);
    Engines engines = root.soko().runtime();
    try {
      engines.resolve(Need.vad()); // a missing model fails before any audio is read
      SpeechRegions r;
      try (AudioStream audio = Runs.openWav(file)) {
        r = engines.detectSpeech(audio);
      } catch (java.io.IOException e) {
        throw Runs.unreadable(file, e);
      }
      if (root.global.json) {
        var o = Runs.object();
        o.put("file", file.toString());
        o.put("audioSeconds", r.audioSeconds());
        Runs.segments(o, "segments", r.segments(), true);
        Runs.models(o, List.of(r.model()));
        Runs.timings(o, r.timings());
        root.out.print(Runs.write(o));
      } else {
        root.out.printf(java.util.Locale.ROOT, "%s: %.2f s of audio, %d speech segment%s%n", Display.safe(file.getFileName()),
            r.audioSeconds(), r.segments().size(), r.segments().size() == 1 ? "" : "s");
        for (Segment s : r.segments()) {
          root.out.println("  " + Runs.seconds(s.start()) + " s – " + Runs.seconds(s.end()) + " s");
        }
        root.out.println("model: " + r.model().describe() + "; " + Runs.timings(r.timings()));
      }
      return ExitCode.OK;
    } finally {
      engines.close();
    }
  }
}
