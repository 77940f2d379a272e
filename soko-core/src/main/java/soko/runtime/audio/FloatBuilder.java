package soko.runtime.audio;

import java.util.Arrays;

/** A growable float array with a hard capacity limit. Not thread-safe. */
final class FloatBuilder implements Resampler.FloatSink {
  private final int limit;
  private float[] data;
  private int size;

  /**
   * @param initialCapacity a capacity that is already known to be safe to allocate
   * @param limit the most samples this builder may ever hold
   */
  FloatBuilder(int initialCapacity, int limit) {
    this.limit = limit;
    this.data = new float[Math.min(initialCapacity, limit)];
  }

  @Override
  public void accept(float sample) {
    if (size == data.length) {
      if (size >= limit) {
        throw new IllegalStateException("more than " + limit + " samples");
      }
      data = Arrays.copyOf(data, (int) Math.min(limit, Math.max(1024L, size * 2L)));
    }
    data[size++] = sample;
  }

  /** The samples so far, trimmed; may share the internal array when it is full. */
  float[] toArray() {
    return size == data.length ? data : Arrays.copyOf(data, size);
  }
}
