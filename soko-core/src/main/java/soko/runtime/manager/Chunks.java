package soko.runtime.manager;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import soko.runtime.Audio;
import soko.runtime.AudioStream;
import soko.runtime.EngineException;
import soko.runtime.Segment;

/**
 * How a recording is cut for the recogniser: speech regions padded by {@link #PAD}, joined when
 * closer than {@link #JOIN_GAP}, and cut to the recogniser's window {@link #MAX_CHUNK}; and how
 * those pieces are read back, in order, from a stream.
 */
final class Chunks {
  /** Silence kept around each speech region given to the recogniser. */
  static final Duration PAD = Duration.ofMillis(200);
  /** Speech regions closer than this are recognised together. */
  static final Duration JOIN_GAP = Duration.ofMillis(600);
  /** The recogniser's window (whisper's 30 s): longer speech is cut into pieces of this length. */
  static final Duration MAX_CHUNK = Duration.ofSeconds(30);

  private Chunks() {}

  /** A stretch of audio [from, to), in samples, given to the recogniser. */
  record Chunk(long from, long to) {
    Chunk {
      if (from < 0 || to < from || to - from > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("chunk [" + from + ", " + to + ")");
      }
    }

    Duration offset() {
      return Duration.ofNanos(from * 1_000_000_000L / Audio.SAMPLE_RATE);
    }
  }

  /** Reads chunks in order from one stream: skips to each chunk's start and reads its samples. */
  static final class Reader {
    private final AudioStream audio;
    /** Samples read from the stream and not yet used: block[blockStart, blockEnd), the first at {@code position}. */
    private final float[] block = new float[Jobs.BLOCK_SAMPLES];
    private int blockStart;
    private int blockEnd;
    private long position;

    Reader(AudioStream audio) {
      this.audio = audio;
    }

    /** The chunk's samples; fewer when the stream ends first. Chunks must come in order, not overlapping. */
    Audio read(Chunk c) throws IOException, EngineException {
      if (c.from() < position) {
        throw new IllegalArgumentException("chunks must come in order: " + c + " after sample " + position);
      }
      while (position < c.from() && fill()) {
        int n = (int) Math.min(blockEnd - blockStart, c.from() - position);
        blockStart += n;
        position += n;
      }
      float[] samples = new float[(int) (c.to() - c.from())];
      int filled = 0;
      while (filled < samples.length && fill()) {
        int n = Math.min(blockEnd - blockStart, samples.length - filled);
        System.arraycopy(block, blockStart, samples, filled, n);
        blockStart += n;
        filled += n;
        position += n;
      }
      return Audio.of(filled == samples.length ? samples : Arrays.copyOf(samples, filled));
    }

    /** Whether unused samples are at hand, reading the next block when none are. */
    private boolean fill() throws IOException, EngineException {
      if (blockStart < blockEnd) {
        return true;
      }
      int n = audio.read(block);
      blockStart = 0;
      blockEnd = Math.max(0, n);
      return n > 0;
    }
  }

  private static long indexAt(Duration t, long length) {
    long i = t.toNanos() * Audio.SAMPLE_RATE / 1_000_000_000L;
    return Math.max(0, Math.min(length, i));
  }

  /** Speech regions, padded, joined when close, and cut to the recogniser's window; {@code length} in samples. */
  static List<Chunk> of(List<Segment> speech, long length) {
    List<Chunk> joined = new ArrayList<>();
    long pad = indexAt(PAD, Long.MAX_VALUE);
    long gap = indexAt(JOIN_GAP, Long.MAX_VALUE);
    for (Segment s : speech) {
      long from = Math.max(0, indexAt(s.start(), length) - pad);
      long to = Math.min(length, indexAt(s.end(), length) + pad);
      if (to <= from) {
        continue;
      }
      if (!joined.isEmpty() && from - joined.getLast().to() < gap) {
        joined.set(joined.size() - 1, new Chunk(joined.getLast().from(), Math.max(to, joined.getLast().to())));
      } else {
        joined.add(new Chunk(from, to));
      }
    }
    long max = MAX_CHUNK.toMillis() * Audio.SAMPLE_RATE / 1000;
    List<Chunk> out = new ArrayList<>();
    for (Chunk c : joined) {
      for (long from = c.from(); from < c.to(); from += max) {
        out.add(new Chunk(from, Math.min(c.to(), from + max)));
      }
    }
    return out;
  }

  static void shift(List<Segment> segments, Chunk chunk, List<Segment> into) {
    for (Segment s : segments) {
      if (!s.text().isBlank()) {
        into.add(new Segment(s.start().plus(chunk.offset()), s.end().plus(chunk.offset()), s.text().strip()));
      }
    }
  }
}
