/**
 * What every package of Soko shares: the root of its checked exceptions ({@link
 * soko.SokoException}) and the {@link soko.Reason} each failure carries. Depends on the JDK only.
 */
@NullMarked
package soko;

import org.jspecify.annotations.NullMarked;
