/**
 * A pure-Java SentencePiece unigram tokenizer: reads {@code .spm} model files, normalises text with
 * the model's precompiled character map, and splits it into pieces exactly as the native library
 * does. No native code and no protobuf library.
 */
@NullMarked
package soko.engine.onnx.sentencepiece;

import org.jspecify.annotations.NullMarked;
