/**
 * Builders for model files in whisper.cpp's ggml format, for tests that must run the real native
 * pipeline without shipping real weights.
 */
@NullMarked
package soko.testkit.ggml;

import org.jspecify.annotations.NullMarked;
