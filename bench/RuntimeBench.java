import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.app.Settings;
import soko.app.Soko;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.runtime.Audio;
import soko.runtime.audio.Wav;
import soko.runtime.manager.Engines;
import soko.runtime.manager.Lease;
import soko.runtime.manager.Need;
import soko.testkit.TestAudio;
import soko.testkit.ggml.WhisperTestModel;
import soko.verification.Hashing;

/**
 * Runtime figures for BENCHMARKS.md: VAD real-time factor on one thread, model load times, and
 * verify-before-use cost (cached stat vs full re-hash) for a 1 GiB model file. Run by bench/runtime.sh.
 */
public class RuntimeBench {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/out");
    Path home = out.resolve("runtime-home");
    Soko soko = Soko.open(Settings.resolve(Map.of(), System.getProperties(), Optional.of(home), Optional.empty(), false));
    soko.install("silero-vad");
    soko.install("demo-phrasebook");
    Engines engines = soko.runtime();
    System.out.println("threads=" + engines.settings().threads() + " (SOKO_THREADS)");

    // VAD real-time factor: 20 passes over the 4.5 s Japanese clip, after one warm-up pass.
    Audio clip = Wav.read(TestAudio.JA_16K_MONO.path());
    engines.detectSpeech(clip);
    int passes = 20;
    long t0 = System.nanoTime();
    for (int i = 0; i < passes; i++) {
      engines.detectSpeech(clip);
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    double audioSec = passes * clip.length() / (double) Audio.SAMPLE_RATE;
    System.out.printf("vad: %.1f s of audio in %.3f s -> real-time factor %.4f (%.0fx faster than real time)%n",
        audioSec, sec, sec / audioSec, audioSec / sec);
    engines.close();

    // Load times: a fresh manager each round, so every open is a real load (median of 5).
    Path wdir = Files.createDirectories(out.resolve("whisper-test"));
    Path ggml = WhisperTestModel.tinyMultilingual().writeTo(wdir.resolve("ggml-test.bin"));
    soko.install(manifest("whisper-test", ggml, List.of(TaskSpec.asr(Language.JA, Language.KO)),
        new EngineRequirement("whisper.cpp", VersionRange.parse(">=1.7 <2"))), "bench");
    for (Need need : List.of(Need.vad(), Need.translate(Language.JA, Language.EN), Need.asr(Language.JA))) {
      long[] ms = new long[5];
      String model = "";
      for (int i = 0; i < ms.length; i++) {
        Soko fresh = Soko.open(soko.settings());
        try (Engines e = fresh.runtime(); Lease<?> l = e.open(need)) {
          ms[i] = l.model().load().toMillis();
          model = l.model().model();
        }
      }
      java.util.Arrays.sort(ms);
      System.out.printf("load %s (%s): median %d ms, min %d ms, max %d ms%n", need.alias(), model, ms[2], ms[0], ms[4]);
    }

    // Verify before use: 1 GiB file, cached (stat + record) vs full re-hash.
    Path big = out.resolve("big-1g.bin");
    if (!Files.exists(big) || Files.size(big) != 1L << 30) {
      try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
        byte[] chunk = new byte[1 << 20];
        new java.util.Random(1).nextBytes(chunk);
        for (int i = 0; i < 1024; i++) {
          chunk[0] = (byte) i;
          f.write(chunk);
        }
      }
    }
    soko.install(manifest("big-model", big, List.of(TaskSpec.vad()), new EngineRequirement("none", VersionRange.ANY)),
        "bench");
    long c0 = System.nanoTime();
    int cachedRounds = 100;
    for (int i = 0; i < cachedRounds; i++) {
      soko.verified("big-model");
    }
    double cachedMs = (System.nanoTime() - c0) / 1e6 / cachedRounds;
    long f0 = System.nanoTime();
    soko.verify(Optional.of("big-model"), true);
    double fullMs = (System.nanoTime() - f0) / 1e6;
    System.out.printf("verify 1 GiB: cached %.3f ms per use, full re-hash %.0f ms (%.0f MB/s) -> ratio %.0f:1%n",
        cachedMs, fullMs, 1024 / (fullMs / 1000), fullMs / cachedMs);
    soko.remove("big-model");
  }

  static Manifest manifest(String name, Path file, List<TaskSpec> tasks, EngineRequirement engine) throws Exception {
    var h = Hashing.sha256(file);
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "benchmark model", tasks, engine,
        new License("MIT", URI.create("https://opensource.org/license/mit"), ""),
        List.of(new ModelFile(RelativePath.parse(file.getFileName().toString()), h.size(), h.digest(),
            List.of(new SourceUri(file.toAbsolutePath().toUri())))), false, Map.of());
  }
}
