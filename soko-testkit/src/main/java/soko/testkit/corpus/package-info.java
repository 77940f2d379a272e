/**
 * The hostile corpora that stay: manifests, catalogs and WAV files that Soko must refuse (or handle)
 * with the documented exit code and a one-line message, committed as test data under
 * {@code soko/testkit/corpus/} with an index ({@code cases.tsv}) of what each case expects. See
 * {@link soko.testkit.corpus.Corpus}.
 */
@NullMarked
package soko.testkit.corpus;

import org.jspecify.annotations.NullMarked;
