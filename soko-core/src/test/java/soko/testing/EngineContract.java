package soko.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.Audio;
import soko.runtime.EngineException;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.EngineSession;
import soko.runtime.ModelUnavailableException;
import soko.runtime.SpeechSession;
import soko.runtime.TranslationSession;
import soko.runtime.VoiceActivitySession;

/**
 * What every {@link EngineProvider} must do, whatever it runs. Each engine module extends this once
 * per provider (through soko-core's test jar) and says which model and task to use; a new engine is
 * done when its subclass passes.
 */
public abstract class EngineContract {
  /** For subclasses. */
  protected EngineContract() {}

  @TempDir
  protected Path dir;

  /** The provider under test, constructed as ServiceLoader would. */
  protected abstract EngineProvider provider();

  /** A model this provider runs, written under {@code dir} as the store would hand it over. */
  protected abstract VerifiedModel model(Path dir) throws Exception;

  /** A task the model declares and the provider runs. */
  protected abstract Task task();

  /** Options for opening; in-process, one thread, scratch under {@code dir}. */
  protected EngineOptions options(Path dir) throws Exception {
    return new EngineOptions(1, Files.createDirectories(dir.resolve("scratch")), false);
  }

  @Test
  void acceptsItsOwnModelForItsTask() throws Exception {
    assertThat(provider().accepts(model(dir).manifest(), task())).isTrue();
  }

  @Test
  void opensASessionOfTheTypeTheTaskNeeds() throws Exception {
    try (EngineSession session = provider().open(model(dir), task(), options(dir))) {
      Class<? extends EngineSession> expected = switch (task()) {
        case VAD -> VoiceActivitySession.class;
        case ASR, SPEECH_TRANSLATE -> SpeechSession.class;
        case TRANSLATE -> TranslationSession.class;
      };
      assertThat(session).isInstanceOf(expected);
      assertThat(session.model().manifest()).isEqualTo(model(dir).manifest());
    }
  }

  @Test
  void refusesAModelWhoseFilesChangedSinceVerification() throws Exception {
    VerifiedModel good = model(dir);
    String file = good.files().keySet().iterator().next();
    VerifiedModel changed = new VerifiedModel(good.manifest(), good.files(), good.verifiedAt(), () -> List.of(file));

    assertThatThrownBy(() -> provider().open(changed, task(), options(dir)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("model " + good.manifest().id() + " changed since it was verified (" + file + "); open the model"
            + " again, so that Soko verifies it again (or run `soko verify --full`)");
  }

  @Test
  void refusesATaskItDoesNotRunForTheModel() throws Exception {
    VerifiedModel model = model(dir);
    Optional<Task> wrong = Arrays.stream(Task.values()).filter(t -> !provider().accepts(model.manifest(), t)).findFirst();
    assertThat(wrong).as("a task this provider refuses for " + model.manifest().id()).isPresent();

    assertThatThrownBy(() -> provider().open(model, wrong.get(), options(dir)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(wrong.get().toString());
  }

  @Test
  void aClosedSessionRefusesWork() throws Exception {
    EngineSession session = provider().open(model(dir), task(), options(dir));
    session.close();

    assertThatThrownBy(() -> work(session)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingTwiceIsHarmless() throws Exception {
    EngineSession session = provider().open(model(dir), task(), options(dir));
    session.close();

    assertThatCode(session::close).doesNotThrowAnyException();
  }

  /** One small call of the session's kind: a second of silence, or one word. */
  private void work(EngineSession session) throws Exception {
    TaskSpec spec = session.model().manifest().tasks().stream().filter(t -> t.task() == task()).findFirst().orElseThrow();
    Language from = spec.languages().stream().findFirst().orElse(Language.JA);
    switch (session) {
      case VoiceActivitySession v -> v.detect(Audio.of(new float[16_000]));
      case SpeechSession s -> s.transcribe(Audio.of(new float[16_000]), from, task() == Task.SPEECH_TRANSLATE);
      case TranslationSession t -> t.translate("x", from, spec.target().orElse(Language.EN));
    }
  }
}
