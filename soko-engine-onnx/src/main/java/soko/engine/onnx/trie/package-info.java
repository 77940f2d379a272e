/**
 * The one trie the tokenizers share: {@code tokenizer} walks it by UTF-16 code unit, {@code
 * sentencepiece} by UTF-8 byte.
 */
@NullMarked
package soko.engine.onnx.trie;

import org.jspecify.annotations.NullMarked;
