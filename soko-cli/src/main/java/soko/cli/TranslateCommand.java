package soko.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.manifest.Language;
import soko.runtime.manager.Engines;
import soko.runtime.manager.ModelUse;
import soko.runtime.manager.Timings;
import soko.runtime.manager.Translation;

@Command(name = "translate", header = "Translate Japanese or Korean text into English.",
    description = {"With the installed model (alias ja-en or ko-en): OPUS-MT when installed, otherwise the bundled"
        + " DEMO phrasebook (fixed phrases only, not real translation).",
        "Reads standard input, one text per line, when no TEXT is given."})
final class TranslateCommand implements Callable<Integer> {
  enum Target {
    en(Language.EN);

    final Language language;

    Target(Language language) {
      this.language = language;
    }
  }

  /** At most this much standard input is read. */
  static final int MAX_INPUT_CHARS = 1 << 20;

  @ParentCommand
  SokoCommand root;

  @Option(names = "--from", required = true, paramLabel = "ja|ko", description = "The source language: ${COMPLETION-CANDIDATES}.")
  SourceLanguage from;

  @Option(names = "--to", paramLabel = "en", defaultValue = "en", description = "The target language (only en).")
  Target to;

  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "The text; several words are joined with spaces.")
  List<String> text = new ArrayList<>();

  InputStream stdin = System.in;

  @Override
  public Integer call() throws Exception {
    List<String> inputs = text.isEmpty() ? readLines(stdin) : List.of(String.join(" ", text));
    Engines engines = root.soko().runtime();
    try {
      List<Translation> done = new ArrayList<>();
      for (String line : inputs) {
        done.add(engines.translate(line, from.language, to.language));
      }
      Duration load = done.stream().map(t -> t.timings().load()).reduce(Duration.ZERO, Duration::plus);
      Duration run = done.stream().map(t -> t.timings().run()).reduce(Duration.ZERO, Duration::plus);
      Timings total = new Timings(load, run);
      List<ModelUse> models = done.stream().map(Translation::model).distinct().limit(1).toList();
      if (root.global.json) {
        var o = Runs.object();
        o.put("from", from.language.code());
        o.put("to", to.language.code());
        var a = o.putArray("translations");
        for (Translation t : done) {
          a.addObject().put("source", t.source()).put("text", t.text());
        }
        Runs.models(o, models);
        Runs.timings(o, total);
        root.out.print(Runs.write(o));
      } else {
        for (Translation t : done) {
          root.out.println(Display.safe(t.text()));
        }
        root.out.flush();
        if (!models.isEmpty()) {
          root.err.println("translated by " + models.getFirst().describe() + "; " + Runs.timings(total));
        }
      }
      return ExitCode.OK;
    } finally {
      engines.close();
    }
  }

  private static List<String> readLines(InputStream in) throws IOException, InputException {
    List<String> out = new ArrayList<>();
    long chars = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        chars += line.length();
        if (chars > MAX_INPUT_CHARS) {
          throw new InputException("standard input has more than " + MAX_INPUT_CHARS + " characters; split the text");
        }
        out.add(line);
      }
    }
    if (out.stream().allMatch(String::isBlank)) {
      throw new InputException("no text to translate: give TEXT, or pipe text into standard input");
    }
    return out;
  }
}
