package soko.engine.onnx.vad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import soko.model.VerifiedModel;
import soko.runtime.Audio;
import soko.runtime.EngineException;
import soko.runtime.Segment;
import soko.runtime.VoiceActivitySession;

/**
 * A Silero VAD session. {@link #detect} is a {@link #stream()} fed the whole audio, so both give
 * the same segments for the same samples however the stream is chunked.
 *
 * <p>Thread-safe: each detection and stream keeps its own state. Streams are not thread-safe.
 */
final class SileroVadSession implements VoiceActivitySession {
  private final VerifiedModel model;
  private final SileroModel network;
  private final VadOptions options;

  SileroVadSession(VerifiedModel model, SileroModel network, VadOptions options) {
    this.model = model;
    this.network = network;
    this.options = options;
  }

  @Override
  public VerifiedModel model() {
    return model;
  }

  @Override
  public List<Segment> detect(Audio audio) throws EngineException {
    try (Stream s = stream()) {
      List<Segment> out = new ArrayList<>(s.accept(audio.toArray()));
      out.addAll(s.finish());
      return List.copyOf(out);
    }
  }

  @Override
  public Stream stream() {
    return new SileroStream();
  }

  @Override
  public void close() {
    network.close();
  }

  private final class SileroStream implements Stream {
    private final float[] input = new float[SileroModel.CONTEXT + SileroModel.WINDOW];
    private final float[] state = new float[SileroModel.STATE];
    private final SpeechSegmenter segmenter = new SpeechSegmenter(options, SileroModel.WINDOW);
    private final SileroModel.Buffers buffers = new SileroModel.Buffers();
    /** New samples in {@code input} after the context. */
    private int filled;
    private long total;
    private boolean finished;

    @Override
    public List<Segment> accept(float[] samples16kMono) throws EngineException {
      if (finished) {
        throw new IllegalStateException("the stream is finished");
      }
      List<Segment> out = new ArrayList<>();
      int i = 0;
      while (i < samples16kMono.length) {
        int n = Math.min(SileroModel.WINDOW - filled, samples16kMono.length - i);
        System.arraycopy(samples16kMono, i, input, SileroModel.CONTEXT + filled, n);
        filled += n;
        i += n;
        total += n;
        if (filled == SileroModel.WINDOW) {
          out.addAll(scoreWindow());
        }
      }
      return out;
    }

    private List<Segment> scoreWindow() throws EngineException {
      float p = network.score(input, state, buffers);
      // The next window's context is the last CONTEXT samples of this one.
      System.arraycopy(input, SileroModel.WINDOW, input, 0, SileroModel.CONTEXT);
      filled = 0;
      return segmenter.accept(p);
    }

    @Override
    public List<Segment> finish() throws EngineException {
      if (finished) {
        return List.of();
      }
      OptionalDouble partial = OptionalDouble.empty();
      if (filled > 0) {
        // As Silero does, the last partial window is padded with silence.
        Arrays.fill(input, SileroModel.CONTEXT + filled, input.length, 0f);
        partial = OptionalDouble.of(network.score(input, state, buffers));
      }
      finished = true;
      return segmenter.finish(partial, total);
    }

    @Override
    public void close() {
      finished = true;
    }
  }
}
