package soko.engine.whisper;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One whisper.cpp model loaded through whisper-jni, in this process. Whatever whisper.cpp does
 * happens to this process, abort included: the engine runs this in a child JVM unless told not to.
 *
 * <p>Not thread-safe: whisper.cpp's context keeps the last result, so callers serialise calls.
 */
final class NativeWhisper implements AutoCloseable {
  /** whisper.cpp reports times in hundredths of a second. */
  private static final long MILLIS_PER_TICK = 10;
  private static final Object LIBRARY_LOCK = new Object();
  private static boolean libraryLoaded;

  private final WhisperJNI whisper;
  private final WhisperContext context;
  private boolean freed;

  private NativeWhisper(WhisperJNI whisper, WhisperContext context) {
    this.whisper = whisper;
    this.context = context;
  }

  /** Loads whisper-jni's native library once per process and returns whisper.cpp's system info. */
  static String loadLibrary() throws IOException {
    synchronized (LIBRARY_LOCK) {
      if (!libraryLoaded) {
        WhisperJNI.loadLibrary();
        libraryLoaded = true;
      }
    }
    return new WhisperJNI().getSystemInfo();
  }

  /**
   * Loads a model whose header {@link GgmlHeader#read} has accepted.
   *
   * @throws IOException when whisper.cpp cannot load it; the message completes "whisper.cpp ..."
   */
  static NativeWhisper load(Path model) throws IOException {
    loadLibrary();
    WhisperJNI whisper = new WhisperJNI();
    WhisperContext context = whisper.init(model);
    if (context == null) {
      throw new IOException("could not load the model (whisper_init returned no context)");
    }
    return new NativeWhisper(whisper, context);
  }

  /**
   * Runs the whole pipeline on 16 kHz mono samples.
   *
   * @param language an ISO 639-1 code whisper knows, such as ja
   * @throws IOException when whisper.cpp reports a failure; the message completes "whisper.cpp ..."
   */
  List<TimedText> transcribe(float[] samples, String language, boolean translate, int threads) throws IOException {
    if (freed) {
      throw new IllegalStateException("the model was freed");
    }
    WhisperFullParams params = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
    params.nThreads = threads;
    params.language = language;
    params.detectLanguage = false;
    params.translate = translate;
    // whisper.cpp prints these with printf to stdout, which is the child's protocol channel.
    params.printProgress = false;
    params.printRealtime = false;
    params.printTimestamps = false;
    params.printSpecial = false;
    int status = whisper.full(context, params, samples, samples.length);
    if (status != 0) {
      throw new IOException("failed to transcribe (whisper_full returned " + status + ")");
    }
    int n = whisper.fullNSegments(context);
    List<TimedText> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long t0 = whisper.fullGetSegmentTimestamp0(context, i) * MILLIS_PER_TICK;
      long t1 = whisper.fullGetSegmentTimestamp1(context, i) * MILLIS_PER_TICK;
      String text = whisper.fullGetSegmentText(context, i);
      out.add(new TimedText(Math.max(0, t0), Math.max(Math.max(0, t0), t1), text == null ? "" : text.strip()));
    }
    return out;
  }

  @Override
  public void close() {
    if (!freed) {
      freed = true;
      whisper.free(context);
    }
  }
}
