/**
 * Silero VAD (v5 and v6 ONNX models) on ONNX Runtime: {@link soko.engine.onnx.vad.SileroVadProvider}
 * opens a model as a {@link soko.runtime.VoiceActivitySession}; {@link
 * soko.engine.onnx.vad.VadOptions} tunes how window probabilities become speech segments.
 */
@NullMarked
package soko.engine.onnx.vad;

import org.jspecify.annotations.NullMarked;
