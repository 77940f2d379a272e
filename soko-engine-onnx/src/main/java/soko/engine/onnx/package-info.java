/**
 * ONNX Runtime engines. {@link soko.engine.onnx.OrtRuntime} owns the one ONNX Runtime environment
 * of the process and where its native libraries are unpacked; the engines live in subpackages
 * ({@code vad}: Silero voice activity detection).
 */
@NullMarked
package soko.engine.onnx;

import org.jspecify.annotations.NullMarked;
