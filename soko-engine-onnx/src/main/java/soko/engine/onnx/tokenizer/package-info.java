/**
 * Hugging Face {@code tokenizer.json} files in pure Java: the tokenizers of the OPUS-MT, M2M100 and
 * NLLB exports that Soko runs, with the ids and text of the Rust {@code tokenizers} library.
 *
 * <p>Supported components (anything else is refused when loading, naming the JSON pointer):
 * <ul>
 *   <li>models: {@code Unigram} (Viterbi over piece scores, unknown characters at the lowest score
 *       minus 10 and fused, byte fallback) and {@code BPE} (merge ranks, continuing-subword prefix,
 *       end-of-word suffix, {@code fuse_unk}, {@code byte_fallback}, {@code ignore_merges});
 *   <li>normalizers: {@code Precompiled} (SentencePiece's charsmap, read with
 *       {@link soko.engine.onnx.sentencepiece.CharsMap}), {@code NFC}, {@code NFD}, {@code NFKC},
 *       {@code NFKD}, {@code Lowercase}, {@code Replace}, {@code Prepend}, {@code Strip},
 *       {@code Sequence};
 *   <li>pre-tokenizers: {@code Metaspace} ({@code prepend_scheme} always, first or never;
 *       {@code split}), {@code WhitespaceSplit}, {@code Whitespace}, {@code Sequence};
 *   <li>post-processor: {@code TemplateProcessing};
 *   <li>decoders: {@code Metaspace}, {@code ByteFallback}, {@code Fuse}, {@code Strip},
 *       {@code Replace}, {@code Sequence};
 *   <li>{@code added_tokens} with {@code single_word}, {@code lstrip}, {@code rstrip},
 *       {@code normalized} and {@code special}.
 * </ul>
 *
 * <p>Known departures, none of which the test files meet: Unicode normalization forms and regular
 * expressions come from the JDK (Unicode 16, {@code java.util.regex}) rather than the Rust crates;
 * the Metaspace "first" scheme decides "at the start of the input" from what each normalizer does to
 * the first character, not from the Rust library's offset alignments; empty regular-expression
 * matches replace nothing; an added token keeps the id the file declares where the Rust library
 * would renumber it (see {@code AddedVocabulary}); {@code truncation} and {@code padding} are
 * ignored.
 *
 * <p>A {@code Precompiled} normalizer whose charsmap is {@code null} (the Xenova OPUS-MT exports
 * carry one, and the Rust library cannot load them) runs Transformers.js' approximation of
 * SentencePiece's nmt_nfkc rules instead, and {@link soko.engine.onnx.tokenizer.Tokenizer#approximatesNormalizer()}
 * says so.
 */
@NullMarked
package soko.engine.onnx.tokenizer;

import org.jspecify.annotations.NullMarked;
