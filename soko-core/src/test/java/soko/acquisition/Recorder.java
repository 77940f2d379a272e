package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import soko.events.ProgressListener;
import soko.events.TransferEvent;

/** Records events and checks each file's sequence against the grammar documented on TransferEvent. */
final class Recorder implements ProgressListener {
  /** V=Verifying S=Started P=Progress R=Retrying D=Done F=Failed. */
  static final String GRAMMAR = "V?(SP*)*(RV?(SP*)*)*[DF]";

  final List<TransferEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void on(TransferEvent event) {
    events.add(event);
  }

  <T extends TransferEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  String letters(String file) {
    return events.stream().filter(e -> e.file().equals(file)).map(e -> switch (e) {
      case TransferEvent.Verifying v -> "V";
      case TransferEvent.Started s -> "S";
      case TransferEvent.Progress p -> "P";
      case TransferEvent.Retrying r -> "R";
      case TransferEvent.Done d -> "D";
      case TransferEvent.Failed f -> "F";
      case TransferEvent.Notice n -> "N";
    }).collect(Collectors.joining());
  }

  /** Asserts that every file's events follow the grammar, once per fetch call (each ends with D or F). */
  void assertGrammar() {
    for (String file : events.stream().map(TransferEvent::file).distinct().toList()) {
      // Notices (N) may come anywhere before a file's D or F, so they are left out here.
      assertThat(letters(file).replace("N", "")).as("events of %s", file).matches("(" + GRAMMAR + ")+");
    }
  }
}
