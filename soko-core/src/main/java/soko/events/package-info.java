/**
 * Immutable progress events and the listener that receives them. Depends on the JDK only.
 *
 * <p>Producers (the downloader) emit {@link soko.events.TransferEvent}s to a {@link
 * soko.events.ProgressListener}; consumers that draw a progress bar wrap theirs in {@link
 * soko.events.ThrottledListener} so that a fast transfer does not redraw thousands of times.
 *
 * <p><b>Contracts.</b> Nothing in this package accepts or returns {@code null} unless marked
 * {@code @Nullable} (the package is {@code @NullMarked}); an absent value is an {@code Optional}.
 * Records and enums are immutable and thread-safe. Every other class says in its own
 * documentation whether it is thread-safe; one that does not say so is not. Methods throw the
 * checked exceptions they declare, in the cases each exception's documentation describes, and
 * {@code IllegalArgumentException} or {@code NullPointerException} for an argument that breaks a
 * documented precondition.
 */
@NullMarked
package soko.events;

import org.jspecify.annotations.NullMarked;
