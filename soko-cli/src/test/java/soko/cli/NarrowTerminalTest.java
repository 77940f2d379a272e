package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables on a terminal narrower than they are: one record per row instead of lines the terminal
 * wraps into noise; in a pipe (no width known) the full table, which scripts may cut by column.
 */
class NarrowTerminalTest {
  @TempDir
  Path dir;

  static final List<String> HEADER = List.of("NAME", "VERSION", "ALIASES", "");
  static final List<List<String>> ROWS = List.of(
      List.of("whisper-large-v3-turbo-q5_0", "1.0.0", "ja-asr,ja-en-speech,ko-asr,ko-en-speech", "* recommended: vad"),
      List.of("silero-vad", "6.0.0", "-", ""));

  @Test
  void aTableThatFitsOrHasNoWidthIsTheTable() {
    String table = Format.table(HEADER, ROWS);
    assertThat(Format.table(HEADER, ROWS, OptionalInt.empty())).isEqualTo(table);
    int widest = table.lines().mapToInt(Format::width).max().orElseThrow();
    assertThat(Format.table(HEADER, ROWS, OptionalInt.of(widest))).isEqualTo(table);
    assertThat(table.lines().findFirst().orElseThrow()).startsWith("NAME");
  }

  @Test
  void aTooWideTableBecomesRecordsThatFitAndLoseNothing() {
    String records = Format.table(HEADER, ROWS, OptionalInt.of(30));
    assertThat(records.lines()).allSatisfy(l -> assertThat(Format.width(l)).as(l).isLessThanOrEqualTo(30));
    assertThat(records).startsWith("whisper-large-v3-turbo-q5_0\n  version: 1.0.0\n  aliases: ja-asr,\n    ja-en-speech,ko-asr,\n");
    // Every value survives the wrapping: joined again, the lists are whole.
    assertThat(records.replace("\n    ", "")).contains("ja-asr,ja-en-speech,ko-asr,ko-en-speech")
        .contains("* recommended: vad");
    // A "-" or empty cell says nothing and is left out.
    assertThat(records).contains("silero-vad\n  version: 6.0.0\n").doesNotContain("aliases: -");
  }

  @Test
  void wrappingKeepsWideCharactersInsideTheWidth() {
    String text = Format.wrapped("  ", "日本語の音声を英語に翻訳するモデル は 2 コア で 動きます", OptionalInt.of(20));
    assertThat(text.lines()).allSatisfy(l -> assertThat(Format.width(l)).as(l).isLessThanOrEqualTo(20));
    assertThat(Format.wrapped("  ", "one line", OptionalInt.empty())).isEqualTo("  one line\n");
  }

  @Test
  void catalogOnAFortyColumnTerminalFitsAndNamesEveryModel() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Child.Result pipe = new Child(dir, Map.of("HOME", home.toString(), "LANG", "C"), List.of()).run("catalog");
    assertThat(pipe.code()).as(pipe.toString()).isZero();
    assertThat(pipe.out()).startsWith("NAME ");
    List<String> names = new ArrayList<>();
    pipe.out().lines().skip(1).takeWhile(l -> !l.isBlank()).forEach(l -> names.add(l.split(" ")[0]));
    assertThat(names).contains("silero-vad", "m2m100-418m");

    Child.Result narrow = new Child(dir, Map.of("HOME", home.toString(), "LANG", "C", "COLUMNS", "40"), List.of())
        .run("catalog");
    assertThat(narrow.code()).as(narrow.toString()).isZero();
    assertThat(narrow.out().lines()).allSatisfy(l -> assertThat(Format.width(l)).as(l).isLessThanOrEqualTo(40));
    for (String name : names) {
      assertThat(narrow.out().lines()).as(name).contains(name);
    }
  }
}
