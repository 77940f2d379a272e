/**
 * A strict, size-capped JSON reader for the files that come with models ({@code config.json},
 * {@code generation_config.json}, {@code tokenizer.json}, {@code tokenizer_config.json},
 * {@code vocab.json}): every problem is reported with the RFC 6901 pointer of the bad value. It
 * belongs to the engines, which read model files that the store verified but nobody vetted.
 */
@NullMarked
package soko.engine.onnx.json;

import org.jspecify.annotations.NullMarked;
