package soko.engine.whisper;

/** A segment as whisper.cpp reports it, in milliseconds; JDK types only so the child needs no Soko classes. */
record TimedText(long startMillis, long endMillis, String text) {
  TimedText {
    if (startMillis < 0 || endMillis < startMillis) {
      throw new IllegalArgumentException("segment " + startMillis + ".." + endMillis + " ms is not a time span");
    }
  }
}
