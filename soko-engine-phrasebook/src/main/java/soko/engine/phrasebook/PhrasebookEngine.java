package soko.engine.phrasebook;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.EngineException;
import soko.runtime.EngineInfo;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.HardwareNeeds;
import soko.runtime.TranslationSession;

/**
 * The {@code soko-phrasebook} engine, which runs the bundled {@code demo-phrasebook} model.
 *
 * <p><b>This is a demo, not machine translation.</b> It looks up a few hundred fixed phrases
 * (greetings, travel, food, shopping, time, weather, emergencies) by leftmost-longest match and
 * knows no grammar, so it shows what Soko's translation flow looks like without downloading a
 * model. Its output must never be presented as a translation of arbitrary text.
 *
 * <p>What it does with text:
 *
 * <ul>
 *   <li>input is NFKC-normalised (full-width and half-width forms match), trimmed, and its white
 *       space collapsed; spaces inside a phrase are optional;
 *   <li>Japanese phrases may start at any character; Korean phrases start at word starts or right
 *       after another phrase, and one-syllable Korean phrases must be whole words;
 *   <li>text that matches no phrase is copied, as normalised, between {@value #UNTRANSLATED_OPEN}
 *       and {@value #UNTRANSLATED_CLOSE}, so that the user sees what was not translated, e.g.
 *       {@code 田中さんはどこですか} → {@code ⟨田中さんは⟩ where is it?};
 *   <li>digits are copied as they are; 。、！？「」 become . , ! ? “ ”; each sentence starts with
 *       a capital letter.
 * </ul>
 *
 * The output is deterministic.
 *
 * <p>A model for this engine declares {@code translate} tasks; for each source language {@code xx}
 * and target {@code yy} it has a file {@code phrasebook-xx-yy.tsv} (format: {@link PhraseFile}).
 * The engine can run ja→en and ko→en. Thread-safe; {@link #open} does the loading.
 */
public final class PhrasebookEngine implements EngineProvider {
  /** The engine id that manifests name. */
  public static final String ID = "soko-phrasebook";
  public static final String VERSION = "1.0.0";
  /** Opens a stretch of source text the phrasebook could not translate. */
  public static final String UNTRANSLATED_OPEN = "⟨";
  /** Closes a stretch of source text the phrasebook could not translate. */
  public static final String UNTRANSLATED_CLOSE = "⟩";

  private static final Map<Language, Segmentation> SOURCES = Map.of(
      Language.JA, Segmentation.CHARACTERS,
      Language.KO, Segmentation.WORDS);

  private static final EngineInfo INFO = new EngineInfo(ID, VERSION,
      List.of(TaskSpec.translate(Language.JA, Language.EN), TaskSpec.translate(Language.KO, Language.EN)),
      HardwareNeeds.PURE_JAVA,
      "DEMO ONLY, not machine translation: looks up a few hundred fixed Japanese and Korean phrases in English"
          + " and marks the rest ⟨untranslated⟩.");

  /** For {@link java.util.ServiceLoader}; does no work. */
  public PhrasebookEngine() {}

  @Override
  public EngineInfo info() {
    return INFO;
  }

  /**
   * Loads the phrases of every language pair the model declares.
   *
   * @return a thread-safe session; the caller closes it
   * @throws EngineException if the task is not translate, the model is for another engine, it
   *     declares a pair this engine cannot run, or one of its phrase files is missing or malformed
   */
  @Override
  public TranslationSession open(VerifiedModel model, Task task, EngineOptions options) throws EngineException {
    EngineProvider.requireUnchanged(model);
    Manifest manifest = model.manifest();
    if (task != Task.TRANSLATE) {
      throw new EngineException(ID + " cannot run " + task + " with " + manifest.id()
          + ": it is a demo phrasebook that only translates text (ja→en, ko→en)");
    }
    if (!manifest.engine().id().equals(ID) || !manifest.engine().versions().contains(VERSION)) {
      throw new EngineException(manifest.id() + " needs engine " + manifest.engine().id() + " "
          + manifest.engine().versions() + ", not " + ID + " " + VERSION);
    }
    Map<LanguagePair, Phrasebook> books = new LinkedHashMap<>();
    for (TaskSpec spec : manifest.tasks()) {
      if (spec.task() != Task.TRANSLATE || spec.target().isEmpty()) {
        continue;
      }
      for (Language from : spec.languages()) {
        LanguagePair pair = new LanguagePair(from, spec.target().get());
        Segmentation segmentation = SOURCES.get(from);
        if (segmentation == null || !pair.to().equals(Language.EN)) {
          throw new EngineException(manifest.id() + " declares translate " + pair + ", but " + ID + " " + VERSION
              + " can only run ja→en and ko→en");
        }
        String name = pair.fileName();
        if (manifest.file(name).isEmpty()) {
          throw new EngineException(manifest.id() + " declares translate " + pair + " but has no file " + name
              + "; add it to the manifest");
        }
        books.put(pair, new Phrasebook(PhraseFile.read(model.file(name), name, manifest.id()), segmentation));
      }
    }
    if (books.isEmpty()) {
      throw new EngineException(manifest.id() + " declares no translate task; a phrasebook model lists translate ja→en or ko→en");
    }
    return new PhrasebookSession(model, books);
  }

  /** "ja→en and ko→en". */
  static String describe(Collection<LanguagePair> pairs) {
    List<String> names = pairs.stream().map(LanguagePair::toString).sorted().toList();
    if (names.size() <= 1) {
      return String.join("", names);
    }
    return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", "))
        + " and " + names.getLast();
  }

  @Override
  public String toString() {
    return ID + " " + VERSION;
  }
}
