/**
 * Immutable progress events and the listener that receives them. Depends on the JDK only.
 *
 * <p>Producers (the downloader) emit {@link soko.events.TransferEvent}s to a {@link
 * soko.events.ProgressListener}; consumers that draw a progress bar wrap theirs in {@link
 * soko.events.ThrottledListener} so that a fast transfer does not redraw thousands of times.
 */
@NullMarked
package soko.events;

import org.jspecify.annotations.NullMarked;
