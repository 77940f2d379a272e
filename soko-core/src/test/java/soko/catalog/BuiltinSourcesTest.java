package soko.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;

/**
 * builtin-sources.json, next to the built-in catalog, names for every pinned file the public
 * projects that confirm its sha256 and size: at least two each, from projects that share neither
 * owner nor name (so not a fork or a copy under another account).
 */
class BuiltinSourcesTest {
  private static final String RESOURCE = "soko/catalog/builtin-sources.json";
  private static JsonNode sources;
  private static Catalog catalog;

  @BeforeAll
  static void read() throws IOException, CatalogUnusableException {
    try (InputStream in = BuiltinSourcesTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      assertThat(in).as(RESOURCE + " ships next to the built-in catalog").isNotNull();
      sources = new ObjectMapper().readTree(in);
    }
    catalog = BuiltinCatalog.load();
  }

  private static Map<String, JsonNode> entriesByFile() {
    Map<String, JsonNode> byFile = new LinkedHashMap<>();
    for (JsonNode e : sources.get("files")) {
      JsonNode prev = byFile.put(e.get("model").asText() + " " + e.get("path").asText(), e);
      assertThat(prev).as("listed twice: " + e.get("model") + " " + e.get("path")).isNull();
    }
    return byFile;
  }

  private static List<ModelFile> downloads(Manifest m) {
    return m.bundled() ? List.of() : m.files();
  }

  @Test
  void everyPinnedFileNamesTwoIndependentSourcesForItsDigestAndItsSize() {
    Map<String, JsonNode> byFile = entriesByFile();
    int checked = 0;
    for (Manifest m : catalog.models()) {
      for (ModelFile f : downloads(m)) {
        String key = m.name() + " " + f.path();
        JsonNode e = byFile.get(key);
        assertThat(e).as("sources for " + key).isNotNull();
        assertThat(e.get("size").asLong()).as(key).isEqualTo(f.size());
        assertThat(e.get("sha256").asText()).as(key).isEqualTo(f.sha256().hex());
        List<String> digestSources = new ArrayList<>();
        List<String> sizeSources = new ArrayList<>();
        for (JsonNode s : e.get("sources")) {
          String repo = s.get("repository").asText();
          assertThat(repo).as(key).matches("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*");
          assertThat(s.get("path").asText()).as(key + " in " + repo).isNotBlank();
          assertThat(s.get("says").asText()).as(key + " in " + repo).isNotBlank();
          JsonNode states = s.get("states");
          assertThat(states.get("sha256").asText()).as(key + " per " + repo).isEqualTo(f.sha256().hex());
          digestSources.add(repo);
          if (states.has("size")) {
            assertThat(states.get("size").asLong()).as(key + " per " + repo).isEqualTo(f.size());
            sizeSources.add(repo);
          }
          if (states.has("revision")) {
            assertThat(states.get("revision").asText()).as(key + " per " + repo)
                .isEqualTo(m.annotations().get("source.revision"));
          }
        }
        assertThat(independent(digestSources)).as(key + ": projects stating its sha256 " + digestSources).isTrue();
        assertThat(independent(sizeSources)).as(key + ": projects stating its size " + sizeSources).isTrue();
        checked++;
      }
    }
    assertThat(checked).isEqualTo(19);
  }

  /** At least two of these repositories differ in both owner and name. */
  private static boolean independent(List<String> repositories) {
    for (int i = 0; i < repositories.size(); i++) {
      for (int j = i + 1; j < repositories.size(); j++) {
        String[] a = repositories.get(i).split("/");
        String[] b = repositories.get(j).split("/");
        if (!a[0].equalsIgnoreCase(b[0]) && !a[1].equalsIgnoreCase(b[1])) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void theSourcesFileDescribesOnlyFilesTheCatalogHas() {
    Set<String> catalogFiles = new HashSet<>();
    for (Manifest m : catalog.models()) {
      downloads(m).forEach(f -> catalogFiles.add(m.name() + " " + f.path()));
    }

    assertThat(catalogFiles).containsExactlyInAnyOrderElementsOf(entriesByFile().keySet());
  }

  @Test
  void whatWasLeftOutSaysWhyAndIsNotInTheCatalog() {
    List<String> leftOut = new ArrayList<>();
    for (JsonNode e : sources.get("leftOut")) {
      assertThat(e.get("reason").asText()).as(e.get("model").asText()).hasSizeGreaterThan(60);
      leftOut.add(e.get("model").asText());
    }

    assertThat(leftOut).contains("opus-mt-ja-en", "opus-mt-tc-big-ko-en",
        "nllb-200-distilled-600m: tokenizer_config.json, generation_config.json");
    for (String name : List.of("opus-mt-ja-en", "opus-mt-tc-big-ko-en")) {
      assertThat(catalog.model(new ModelName(name))).as(name).isEqualTo(Optional.empty());
    }
    assertThat(catalog.model(new ModelName("m2m100-418m")).orElseThrow().file("generation_config.json")).isEmpty();
    Manifest nllb = catalog.model(new ModelName("nllb-200-distilled-600m")).orElseThrow();
    assertThat(nllb.file("tokenizer_config.json")).isEmpty();
    assertThat(nllb.file("generation_config.json")).isEmpty();
  }
}
