package soko.acquisition;

import soko.events.ProgressListener;
import soko.events.TransferEvent;

/** Calls a listener and ignores whatever it throws: a broken progress display must not break a download. */
record Emitter(ProgressListener listener) {
  void emit(TransferEvent event) {
    try {
      listener.on(event);
    } catch (RuntimeException ignored) {
      // The listener contract forbids throwing; its events are lost, the download goes on.
    }
  }
}
