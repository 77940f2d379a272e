/**
 * Text translation with sequence-to-sequence models exported to ONNX in the Hugging Face Optimum
 * layout: an encoder and a decoder with a KV cache, int8-quantized or not.
 *
 * <h2>How a model is recognised</h2>
 * From its files alone (the manifest's task says only that it translates):
 * <ol>
 *   <li>{@code config.json}'s {@code model_type}: {@code marian} (OPUS-MT and other Marian models,
 *       one language pair) or {@code m2m_100} (M2M100 and NLLB-200, many languages); anything else is
 *       refused;
 *   <li>the tokenizer: Marian's {@code source.spm} + {@code target.spm} + {@code vocab.json} when all
 *       three are there (pure-Java SentencePiece), else {@code tokenizer.json} (pure-Java Hugging Face
 *       tokenizer); for {@code m2m_100}, {@code tokenizer_config.json}'s {@code tokenizer_class}
 *       (M2M100Tokenizer or NllbTokenizer) or else the language tokens ({@code __en__} or
 *       {@code eng_Latn}) tell M2M100 from NLLB;
 *   <li>the graphs: {@code encoder_model*.onnx} with {@code decoder_model_merged*.onnx}, or with
 *       {@code decoder_model*.onnx} and {@code decoder_with_past_model*.onnx}, of one variant
 *       ({@code _quantized} preferred), in any folder of the manifest.
 * </ol>
 * Before ONNX Runtime loads a graph, the tokenizer is checked against {@code config.json} (eos id,
 * vocabulary size, the post-processor's template against the family's convention) and every language
 * of the manifest's translate tasks must have its language token. The graphs' inputs and outputs are
 * then checked against the Optimum contract; layers, heads and sizes are read from them.
 *
 * <h2>Conventions</h2>
 * Marian inputs end with {@code </s>}; M2M100 inputs are {@code __ja__ text </s>} and NLLB inputs
 * {@code jpn_Jpan text </s>} (or {@code text </s> jpn_Jpan} with {@code legacy_behaviour}), and the
 * target language's token is forced as the first output token. Generation settings come from
 * {@code generation_config.json} over {@code config.json} (see {@link soko.engine.onnx.translation.ModelConfig}).
 */
@NullMarked
package soko.engine.onnx.translation;

import org.jspecify.annotations.NullMarked;
