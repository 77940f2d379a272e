/**
 * ONNX Runtime engines. {@link soko.engine.onnx.OrtRuntime} owns the one ONNX Runtime environment
 * of the process and where its native libraries are unpacked; the engines live in subpackages
 * ({@code vad}: Silero voice activity detection; {@code translation}: Marian, M2M100 and NLLB text
 * translation) with the pure-Java pieces they need ({@code sentencepiece} and {@code tokenizer}:
 * tokenizers; {@code json}: the strict reader of model files).
 */
@NullMarked
package soko.engine.onnx;

import org.jspecify.annotations.NullMarked;
