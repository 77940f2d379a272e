package soko.engine.phrasebook;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import soko.manifest.Language;
import soko.model.VerifiedModel;
import soko.runtime.EngineException;
import soko.runtime.TranslationSession;

/** A loaded phrasebook. Thread-safe: the phrases are immutable and each call works on its own. */
final class PhrasebookSession implements TranslationSession {
  private final VerifiedModel model;
  private final Map<LanguagePair, Phrasebook> books;
  private final AtomicBoolean closed = new AtomicBoolean();

  PhrasebookSession(VerifiedModel model, Map<LanguagePair, Phrasebook> books) {
    this.model = model;
    this.books = Map.copyOf(books);
  }

  @Override
  public VerifiedModel model() {
    return model;
  }

  /**
   * Looks the text up phrase by phrase. This is a demo, not machine translation: see
   * {@link PhrasebookEngine}.
   *
   * @throws EngineException if this model has no phrases for {@code from}→{@code to}
   */
  @Override
  public String translate(String text, Language from, Language to) throws EngineException {
    if (closed.get()) {
      throw new IllegalStateException("the phrasebook session for " + model.manifest().id() + " is closed");
    }
    LanguagePair pair = new LanguagePair(from, to);
    Phrasebook book = books.get(pair);
    if (book == null) {
      throw new EngineException(model.manifest().id() + " cannot translate " + pair + ": this demo phrasebook only has "
          + PhrasebookEngine.describe(books.keySet()) + "; use a translation model for " + pair);
    }
    return book.translate(text);
  }

  @Override
  public void close() {
    closed.set(true);
  }

  @Override
  public String toString() {
    return "PhrasebookSession[" + model.manifest().id() + ", " + PhrasebookEngine.describe(books.keySet()) + "]";
  }
}
