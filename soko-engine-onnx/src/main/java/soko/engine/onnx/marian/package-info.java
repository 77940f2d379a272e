/**
 * Text translation with Marian-architecture sequence-to-sequence models exported to ONNX in the
 * Hugging Face Optimum layout (OPUS-MT and others): an encoder, a merged decoder with a KV cache,
 * SentencePiece tokenizers and a shared vocabulary. Everything checkpoint-specific (layers, heads,
 * special tokens, lengths, beams) is read from the model's files.
 */
@NullMarked
package soko.engine.onnx.marian;

import org.jspecify.annotations.NullMarked;
