/**
 * Strict JSON reading and canonical writing shared by the codecs. Not exported: Jackson types
 * never appear in Soko's public signatures.
 */
@NullMarked
package soko.internal.json;

import org.jspecify.annotations.NullMarked;
