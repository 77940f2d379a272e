package soko.engine.whisper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.EngineException;
import soko.runtime.EngineInfo;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.EngineSession;
import soko.runtime.HardwareNeeds;
import soko.runtime.ModelUnavailableException;
import soko.runtime.SpeechSession;

/**
 * whisper.cpp {@value #VERSION} (through whisper-jni {@value #VERSION}): speech recognition of
 * Japanese and Korean, and speech translation of both into English, from a ggml model file.
 *
 * <p>By default ({@link EngineOptions#isolate()}), each session runs whisper.cpp in a child JVM
 * started with this JVM's {@code java} executable; the child loads the model once and serves every
 * call. A damaged model or a bug that aborts whisper.cpp then ends the child only: the call fails
 * with {@link soko.runtime.EngineCrashedException} and the next call starts a new child. The
 * child's log goes to a file in {@link EngineOptions#scratch()}. Before any native code sees the
 * model file, its ggml header and tensor records are checked, and compared with the manifest's
 * optional {@code whisper.cpp.*} annotations ({@code n_vocab}, {@code n_audio_state}, {@code
 * n_audio_layer}, {@code n_text_layer}, {@code n_mels}, {@code ftype}), so a file that is not a
 * whisper.cpp model, or not the model its manifest describes, is refused with {@link
 * ModelUnavailableException}. Without isolation, whisper.cpp runs in this JVM: faster to
 * start, but an abort ends the application and slow calls cannot be stopped.
 *
 * <p>Thread-safe and cheap to construct; found by {@link java.util.ServiceLoader}.
 */
public final class WhisperEngineProvider implements EngineProvider {
  /** The id manifests name in {@code engine.id}. */
  public static final String ENGINE_ID = "whisper.cpp";
  /** The whisper-jni version, which is also the whisper.cpp release it bundles. */
  public static final String VERSION = "1.7.1";
  /** A child JVM and whisper tiny need about this much memory; bigger models need more. */
  static final long MIN_MEMORY_BYTES = 512L << 20;

  private static final EngineInfo INFO = new EngineInfo(
      ENGINE_ID,
      VERSION,
      List.of(TaskSpec.asr(Language.JA, Language.KO), TaskSpec.speechTranslate(Language.EN, Language.JA, Language.KO)),
      new HardwareNeeds(MIN_MEMORY_BYTES, Set.of(), false, true),
      "whisper.cpp " + VERSION + " via whisper-jni, in a child process: speech recognition (ja, ko) and speech translation into English");

  /**
   * How long whisper.cpp may take before its child process is killed.
   *
   * @param start for starting a child and loading the model
   * @param perCall for any transcription, on top of {@code perAudioSecond}
   * @param perAudioSecond for each second of audio transcribed
   */
  public record Timeouts(Duration start, Duration perCall, Duration perAudioSecond) {
    /** 5 minutes to start; 5 minutes plus 10 seconds per second of audio to transcribe. */
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10));

    public Timeouts {
      if (!start.isPositive() || !perCall.isPositive() || perAudioSecond.isNegative()) {
        throw new IllegalArgumentException("timeouts must be positive (perAudioSecond may be zero)");
      }
    }

    /** The limit for transcribing audio of this length. */
    public Duration limitFor(Duration audio) {
      long millis = Math.multiplyExact(perAudioSecond.toMillis(), audio.toMillis()) / 1000;
      return perCall.plusMillis(millis);
    }
  }

  private final Timeouts timeouts;

  /** With {@link Timeouts#DEFAULT}. */
  public WhisperEngineProvider() {
    this(Timeouts.DEFAULT);
  }

  public WhisperEngineProvider(Timeouts timeouts) {
    this.timeouts = timeouts;
  }

  @Override
  public EngineInfo info() {
    return INFO;
  }

  /**
   * Loads the model's ggml file (the model's only file, or its file ending in {@code .bin}).
   *
   * @return a {@link SpeechSession}
   * @throws IllegalArgumentException for a task other than asr and speech-translate
   * @throws ModelUnavailableException when the model has no ggml file, or the file is not a
   *     whisper.cpp model
   * @throws soko.runtime.EngineCrashedException when whisper.cpp or its child process fails to start
   */
  @Override
  public EngineSession open(VerifiedModel model, Task task, EngineOptions options) throws EngineException {
    EngineProvider.requireUnchanged(model);
    if (task != Task.ASR && task != Task.SPEECH_TRANSLATE) {
      throw new ModelUnavailableException(ENGINE_ID + " runs asr and speech-translate, not " + task);
    }
    ModelRef ref = new ModelRef(model.manifest().id(), ggmlFile(model), model::changedSinceVerified);
    requireMatchingHeader(ref, model);
    Transcriber transcriber = options.isolate()
        ? new ChildWhisper(ref, options.threads(), timeouts.start(), options.scratch())
        : new InProcessWhisper(ref, options.threads());
    try {
      transcriber.start();
    } catch (EngineException | RuntimeException e) {
      transcriber.close();
      throw e;
    }
    return new WhisperSpeechSession(model, transcriber, timeouts);
  }

  /**
   * Reads the file's header and tensor records in this JVM and compares them with the manifest's
   * whisper.cpp annotations ({@link GgmlExpectation}), so that a file whisper.cpp would abort on, or
   * a large-v3 manifest carrying a base model, is refused before any native call.
   */
  private static void requireMatchingHeader(ModelRef ref, VerifiedModel model) throws ModelUnavailableException {
    GgmlExpectation expected;
    try {
      expected = GgmlExpectation.of(model.manifest());
    } catch (IllegalArgumentException e) {
      throw new ModelUnavailableException(ref.badManifest(e.getMessage()));
    }
    ref.requireUnchanged();
    GgmlHeader header;
    try {
      header = GgmlHeader.read(ref.file());
    } catch (GgmlFormatException e) {
      throw new ModelUnavailableException(ref.refusal(e.getMessage()));
    } catch (IOException e) {
      throw new ModelUnavailableException(ref.loadFailure(ModelRef.UNREADABLE + " (" + e + ")"));
    }
    Optional<String> mismatch = expected.mismatch(header);
    if (mismatch.isPresent()) {
      throw new ModelUnavailableException(ref.mismatch(mismatch.get()));
    }
  }

  private static Path ggmlFile(VerifiedModel model) throws ModelUnavailableException {
    Map<String, Path> files = model.files();
    if (files.size() == 1) {
      return files.values().iterator().next();
    }
    return model.fileEndingWith(".bin").orElseThrow(() -> new ModelUnavailableException("model "
        + model.manifest().id() + " has no ggml .bin file among " + files.keySet()
        + "; a whisper.cpp model needs one, such as ggml-base.bin"));
  }
}
