package soko.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThrottledListenerTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** A clock that returns the scripted instants in order. */
  static InstantSource script(Deque<Instant> instants) {
    return instants::remove;
  }

  static TransferEvent.Progress progress(String file, long done) {
    return new TransferEvent.Progress(file, done, 100, 10, Optional.empty());
  }

  @Test
  void passesOneProgressPerIntervalPerFile() {
    List<TransferEvent> seen = new ArrayList<>();
    Deque<Instant> times = new ArrayDeque<>(List.of(T0, T0.plusMillis(50), T0.plusMillis(99), T0.plusMillis(100),
        T0.plusMillis(10)));
    ThrottledListener t = new ThrottledListener(seen::add, Duration.ofMillis(100), script(times));

    t.on(progress("a", 1));   // first: passed
    t.on(progress("a", 2));   // +50 ms: dropped
    t.on(progress("a", 3));   // +99 ms: dropped
    t.on(progress("a", 4));   // +100 ms: passed
    t.on(progress("b", 1));   // another file has its own interval: passed

    assertThat(seen).extracting(TransferEvent::file, e -> ((TransferEvent.Progress) e).bytesDone())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1L), org.assertj.core.groups.Tuple.tuple("a", 4L),
            org.assertj.core.groups.Tuple.tuple("b", 1L));
  }

  @Test
  void alwaysPassesTheFinalProgressAndEveryOtherEvent() {
    List<TransferEvent> seen = new ArrayList<>();
    Deque<Instant> times = new ArrayDeque<>(List.of(T0, T0.plusMillis(1), T0.plusMillis(2)));
    ThrottledListener t = new ThrottledListener(seen::add, Duration.ofSeconds(1), script(times));
    TransferEvent.Started started = new TransferEvent.Started("a", 100, 0, "example.org");
    TransferEvent.Done done = new TransferEvent.Done("a", "sha256:x", 100, 100);

    t.on(started);
    t.on(progress("a", 10));
    t.on(progress("a", 50));
    t.on(progress("a", 100));
    t.on(done);

    assertThat(seen).containsExactly(started, progress("a", 10), progress("a", 100), done);
  }

  @Test
  void eventsRejectImpossibleFigures() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> progress("a", 101))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bytesDone 101 is outside 0..100");
  }
}
