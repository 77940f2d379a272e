package soko.acquisition;

import java.io.IOException;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;

/**
 * The request for the first range of a file that is to come as ranges over several connections:
 * its answer says whether the source serves ranges with a {@link StrongValidator strong validator}
 * (then that open 206 is the first range), ignores ranges (an open 200 with the whole file), or
 * serves ranges without a strong validator (the file comes over one connection).
 */
final class RangeProbe {
  /**
   * The answer to the request for the first range: {@code range}, an open 206 of exactly those
   * bytes with a strong validator (its host slot taken); {@code whole}, an open 200 with the whole
   * file (the server ignores ranges); or neither (a 206 without a strong validator, closed). When
   * {@code range} is empty the source is to get one connection.
   */
  record Answer(Optional<HttpResponse> range, Optional<HttpResponse> whole) {}

  private final ModelFile file;
  private final String name;
  private final DownloadSettings settings;
  private final InstantSource clock;
  private final Emitter emitter;
  private final Received got;
  private final Failures failures;
  private final HostSlots slots;

  RangeProbe(ModelFile file, DownloadSettings settings, InstantSource clock, Emitter emitter, Received got,
      Failures failures, HostSlots slots) {
    this.file = file;
    this.name = file.path().value();
    this.settings = settings;
    this.clock = clock;
    this.emitter = emitter;
    this.got = got;
    this.failures = failures;
    this.slots = slots;
  }

  /** Asks {@code source} for bytes 0 to {@code last}, waiting for a slot on its host first. */
  Answer ask(FileJob.Source source, long last) throws AcquisitionException {
    try {
      slots.acquire(source.uri());
    } catch (InterruptedException e) {
      throw DownloadCancelledException.interrupted(name, got.have(), file.size(), e);
    }
    Watchdog watchdog = new Watchdog(settings);
    HttpResponse ex;
    try {
      watchdog.awaitingHeaders();
      ex = source.transport().get(new Transport.Request(name, source.uri(), 0, OptionalLong.of(last), Optional.empty()));
    } catch (TransferException e) {
      slots.release(source.uri());
      watchdog.takeTrip();
      throw e;
    } catch (IOException e) {
      slots.release(source.uri());
      Optional<Watchdog.Trip> trip = watchdog.takeTrip();
      if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
        throw DownloadCancelledException.interrupted(name, got.have(), file.size(), e);
      }
      throw failures.network(source, e, trip, false, 0, false);
    } finally {
      watchdog.idle();
      watchdog.close();
      watchdog.takeTrip();
    }
    int status = ex.status();
    if (status == 206 && RangePlan.rangeProblem(ex, 0, last, file.size()).isEmpty()
        && StrongValidator.present(ex, clock.instant())) {
      return new Answer(Optional.of(ex), Optional.empty());
    }
    slots.release(source.uri());
    if (status == 200) {
      return new Answer(Optional.empty(), Optional.of(ex));
    }
    ex.close();
    if (status == 206) {
      emitter.emit(new TransferEvent.Notice(name, source.uri().getHost() + " serves ranges without a strong validator"
          + " (a strong ETag, or a Last-Modified a minute before its Date), so the file comes over one connection"));
      return new Answer(Optional.empty(), Optional.empty());
    }
    throw failures.status(source, ex);
  }
}
