@NullMarked
package soko.engine.onnx.sentencepiece;

import org.jspecify.annotations.NullMarked;
