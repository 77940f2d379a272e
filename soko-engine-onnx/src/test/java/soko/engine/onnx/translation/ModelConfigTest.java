package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading config.json and generation_config.json as transformers does, and refusing what Soko cannot honour. */
class ModelConfigTest {
  @TempDir
  Path dir;

  ModelConfig read(String config, String generation) throws Exception {
    Files.writeString(dir.resolve("config.json"), config);
    Optional<Path> gen = Optional.empty();
    if (generation != null) {
      Files.writeString(dir.resolve("generation_config.json"), generation);
      gen = Optional.of(dir.resolve("generation_config.json"));
    }
    return ModelConfig.read(dir.resolve("config.json"), gen);
  }

  @Test
  void m2m100sGenerationSettingsComeFromGenerationConfigOverConfig() throws Exception {
    ModelConfig c = read("""
        {"model_type": "m2m_100", "vocab_size": 128112, "pad_token_id": 1, "eos_token_id": 2,
         "decoder_start_token_id": 2, "max_length": 200, "num_beams": 5, "max_position_embeddings": 1024,
         "early_stopping": true}""", """
        {"bos_token_id": 0, "decoder_start_token_id": 2, "early_stopping": true, "eos_token_id": 2,
         "max_length": 256, "num_beams": 4, "pad_token_id": 1, "no_repeat_ngram_size": 3,
         "repetition_penalty": 1.1, "min_length": 2, "transformers_version": "4.27.0.dev0"}""");
    assertThat(c).isEqualTo(new ModelConfig(ModelConfig.Family.M2M100, 128112, 1, Set.of(2), 2, 256, 2, 4, List.of(),
        Optional.empty(), Optional.empty(), 1.0, true, 3, 1.1, 1024));
  }

  @Test
  void opusMtsConfigGivesItsBannedPadAndForcedEos() throws Exception {
    ModelConfig c = read("""
        {"model_type": "marian", "vocab_size": 60716, "decoder_vocab_size": 60716, "pad_token_id": 60715,
         "eos_token_id": 0, "decoder_start_token_id": 60715, "bad_words_ids": [[60715]], "max_length": 512,
         "num_beams": 6, "forced_eos_token_id": 0, "max_position_embeddings": 512, "max_new_tokens": null}""", null);
    assertThat(c).isEqualTo(new ModelConfig(ModelConfig.Family.MARIAN, 60716, 60715, Set.of(0), 60715, 512, 0, 6,
        List.of(List.of(60715)), Optional.empty(), Optional.of(0), 1.0, false, 0, 1.0, 512));
  }

  @Test
  void maxNewTokensWinsOverMaxLength() throws Exception {
    assertThat(read("""
        {"model_type": "marian", "vocab_size": 10, "pad_token_id": 9, "eos_token_id": 0, "max_length": 512}""",
        "{\"max_new_tokens\": 40}").maxLength()).isEqualTo(41);
  }

  @Test
  void whatSokoCannotHonourIsRefusedWithItsPointer() {
    String base = "{\"model_type\": \"marian\", \"vocab_size\": 10, \"pad_token_id\": 9, \"eos_token_id\": 0}";
    assertThatThrownBy(() -> read(base, "{\"do_sample\": true}"))
        .hasMessage("generation_config.json /do_sample: asks for sampling; Soko decodes deterministically (greedy or"
            + " beam search)");
    assertThatThrownBy(() -> read(base, "{\"num_beam_groups\": 2}"))
        .hasMessage("generation_config.json /num_beam_groups: asks for diverse beam search, which Soko does not run");
    assertThatThrownBy(() -> read(base, "{\"eos_token_id\": 10}"))
        .hasMessage("generation_config.json /eos_token_id: 10 is out of range; expected a whole number from 0 to 9");
    assertThatThrownBy(() -> read("{\"vocab_size\": 10}", null))
        .hasMessage("config.json /model_type: is missing; it is required");
  }
}
