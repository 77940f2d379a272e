package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import soko.Reason;

/** The one failure table: every reason has an exit code, HTTP status and JSON type, and README says the same. */
class ReasonTableTest {
  private static final Path README = Path.of("../README.md");

  /** The rows of the Markdown table that follows {@code heading}'s header row, cells trimmed. */
  private static List<List<String>> table(String header) throws Exception {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf(header);
    assertThat(start).as("README has a table headed " + header).isNotNegative();
    List<List<String>> rows = new ArrayList<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String line = lines.get(i);
      rows.add(Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList());
    }
    return rows;
  }

  @Test
  void everyReasonHasADocumentedExitCodeAnErrorStatusAndItsOwnJsonType() throws Exception {
    Set<Integer> documented = table("| code | meaning |").stream().map(r -> Integer.parseInt(r.get(0)))
        .collect(Collectors.toSet());
    Set<String> types = new LinkedHashSet<>();
    for (Reason r : Reason.values()) {
      assertThat(documented).as(r + "'s exit code").contains(r.exitCode());
      assertThat(r.exitCode()).as(r + ": 0 is success, 2 usage, 130 Ctrl-C").isNotIn(0, 2, 130);
      assertThat(r.httpStatus()).as(r + "'s HTTP status").isBetween(400, 599);
      assertThat(r.jsonType()).as(r + "'s JSON type").matches("[a-z]+(-[a-z]+)*");
      assertThat(types.add(r.jsonType())).as(r.jsonType() + " is used once").isTrue();
    }
  }

  @Test
  void readmesExitCodesAreTheReasonsAndTheCommandLinesOwn() throws Exception {
    Set<Integer> documented = table("| code | meaning |").stream().map(r -> Integer.parseInt(r.get(0)))
        .collect(Collectors.toSet());
    Set<Integer> expected = Arrays.stream(Reason.values()).map(Reason::exitCode).collect(Collectors.toSet());
    expected.addAll(List.of(ExitCode.OK, ExitCode.USAGE, ExitCode.INTERRUPTED));

    assertThat(documented).isEqualTo(expected);
    assertThat(ExitCode.VERIFICATION).isEqualTo(Reason.INTEGRITY.exitCode());
    assertThat(ExitCode.CONSENT).isEqualTo(Reason.CONSENT.exitCode());
    assertThat(ExitCode.FAILURE).isEqualTo(Reason.INTERNAL.exitCode());
  }

  @Test
  void readmesReasonTableIsTheLibrarysTable() throws Exception {
    List<List<String>> documented = table("| type | exit code | HTTP | reason |").stream()
        .map(r -> List.of(r.get(0), r.get(1), r.get(2))).toList();
    List<List<String>> actual = Arrays.stream(Reason.values())
        .map(r -> List.of("`" + r.jsonType() + "`", String.valueOf(r.exitCode()), String.valueOf(r.httpStatus()))).toList();

    assertThat(documented).isEqualTo(actual);
  }
}
