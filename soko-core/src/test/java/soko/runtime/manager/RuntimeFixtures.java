package soko.runtime.manager;

import soko.app.Soko;
import soko.app.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import soko.inventory.Machine;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.model.VerifiedModel;
import soko.runtime.Audio;
import soko.runtime.EngineException;
import soko.runtime.EngineInfo;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.EngineSession;
import soko.runtime.HardwareNeeds;
import soko.runtime.Segment;
import soko.runtime.SpeechSession;
import soko.runtime.TranslationSession;
import soko.runtime.VoiceActivitySession;
import soko.runtime.cloud.CloudProvider;
import soko.verification.Hashing;

/** A real store in a temp folder, models installed from real files, and a pure-Java engine that counts what it does. */
final class RuntimeFixtures {
  static final String ENGINE = "counting-engine";
  static final Machine MACHINE = new Machine("Linux", "6", "amd64", "test cpu", 2, 8L << 30, List.of(), List.of(), "25");

  private RuntimeFixtures() {}

  static Soko soko(Path home, Clock clock) throws Exception {
    Settings s = new Settings(new soko.store.StoreRoots(home.resolve("data"), home.resolve("cache"), home.resolve("library")),
        false, "test");
    return Soko.open(s, clock, new Properties());
  }

  static Soko offlineSoko(Path home, Clock clock) throws Exception {
    Settings s = new Settings(new soko.store.StoreRoots(home.resolve("data"), home.resolve("cache"), home.resolve("library")),
        true, "test");
    return Soko.open(s, clock, new Properties());
  }

  static RuntimeSettings settings(Duration idle, long budget) {
    return new RuntimeSettings(1, idle, budget, false, Optional.empty());
  }

  static Engines engines(Soko soko, RuntimeSettings settings, CountingEngine engine, Clock clock, CloudProvider... clouds) {
    return new Engines(soko.store(), soko::catalogs, soko.settings().offline(), settings, MACHINE, List.of(engine),
        List.of(clouds), clock, false);
  }

  /** Installs a model of {@code size} seeded random bytes in one file. */
  static Manifest install(Soko soko, Path dir, String name, int size, boolean demo, TaskSpec... tasks) throws Exception {
    byte[] b = new byte[size];
    new Random(name.hashCode()).nextBytes(b);
    Path src = dir.resolve("src-" + name);
    Files.createDirectories(src);
    Path f = Files.write(src.resolve("weights.bin"), b);
    var h = Hashing.sha256(f);
    Manifest m = new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "test model " + name, List.of(tasks),
        new EngineRequirement(ENGINE, VersionRange.ANY), new License("MIT", URI.create("https://example.org/LICENSE"), ""),
        List.of(new ModelFile(RelativePath.parse("weights.bin"), h.size(), h.digest(), List.of(new SourceUri(f.toUri())))),
        demo, Map.of());
    soko.install(m, "test");
    return m;
  }

  static TaskSpec jaEn() {
    return TaskSpec.translate(Language.JA, Language.EN);
  }

  /** Flips one byte of an installed file's blob, keeping its size. */
  static void corrupt(Soko soko, Manifest m) throws IOException {
    Path blob = soko.store().blobPath(m.files().getFirst().sha256());
    blob.toFile().setWritable(true);
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(blob, bytes);
  }

  /** A clock the test moves. */
  static final class ScriptedClock extends Clock {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /**
   * A pure-Java engine for every task: VAD reports the whole clip as speech, speech sessions return
   * "[lang] N samples", translation returns "en:" + text. Counts opens and closes; can hold loads
   * until released, to make callers overlap.
   */
  static final class CountingEngine implements EngineProvider {
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    volatile CountDownLatch holdLoads = new CountDownLatch(0);
    /** When set, the next translate call fails as if the engine's process had died. */
    volatile boolean crashNextCall;
    final CountDownLatch loadStarted = new CountDownLatch(1);

    @Override
    public EngineInfo info() {
      return new EngineInfo(ENGINE, "1.0.0", List.of(TaskSpec.vad(), TaskSpec.asr(Language.JA, Language.KO),
          TaskSpec.speechTranslate(Language.EN, Language.JA, Language.KO), TaskSpec.translate(Language.JA, Language.EN),
          TaskSpec.translate(Language.KO, Language.EN)), HardwareNeeds.PURE_JAVA, "counts what it does");
    }

    @Override
    public EngineSession open(VerifiedModel model, Task task, EngineOptions options) throws EngineException {
      opens.incrementAndGet();
      loadStarted.countDown();
      try {
        if (!holdLoads.await(10, TimeUnit.SECONDS)) {
          throw new EngineException("the test never released the load");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException("interrupted", e);
      }
      return switch (task) {
        case VAD -> new Vad(model);
        case ASR, SPEECH_TRANSLATE -> new Speech(model);
        case TRANSLATE -> new Text(model);
      };
    }

    abstract class Base {
      final VerifiedModel model;
      volatile boolean closed;

      Base(VerifiedModel model) {
        this.model = model;
      }

      public VerifiedModel model() {
        return model;
      }

      void check() {
        if (closed) {
          throw new IllegalStateException("closed");
        }
        calls.incrementAndGet();
      }

      public void close() {
        if (!closed) {
          closed = true;
          closes.incrementAndGet();
        }
      }
    }

    final class Vad extends Base implements VoiceActivitySession {
      Vad(VerifiedModel model) {
        super(model);
      }

      @Override
      public List<Segment> detect(Audio audio) {
        check();
        return audio.length() == 0 ? List.of() : List.of(Segment.speech(Duration.ZERO, audio.duration()));
      }

      /** Like {@link #detect}: all the audio fed is one speech segment; one call per stream. */
      @Override
      public Stream stream() {
        check();
        return new Stream() {
          private long samples;

          @Override
          public List<Segment> accept(float[] samples16kMono) {
            samples += samples16kMono.length;
            return List.of();
          }

          @Override
          public List<Segment> finish() {
            return samples == 0 ? List.of()
                : List.of(Segment.speech(Duration.ZERO, Duration.ofNanos(samples * 1_000_000_000L / Audio.SAMPLE_RATE)));
          }

          @Override
          public void close() {}
        };
      }
    }

    final class Speech extends Base implements SpeechSession {
      Speech(VerifiedModel model) {
        super(model);
      }

      @Override
      public List<Segment> transcribe(Audio audio, Language language, boolean translateToEnglish) {
        check();
        return List.of(new Segment(Duration.ZERO, audio.duration(), "[" + (translateToEnglish ? "en" : language) + "] "
            + audio.length() + " samples"));
      }
    }

    final class Text extends Base implements TranslationSession {
      Text(VerifiedModel model) {
        super(model);
      }

      @Override
      public String translate(String text, Language from, Language to) throws EngineException {
        check();
        if (crashNextCall) {
          crashNextCall = false;
          throw new soko.runtime.EngineCrashedException("the engine process died (exit status 134)");
        }
        return to + ":" + text;
      }
    }
  }
}
