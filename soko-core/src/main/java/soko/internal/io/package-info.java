/** Crash-safe file writing shared by the store, the catalogs and the app layer, and opening named files without ever opening a FIFO or a device. Not part of Soko's API. */
@NullMarked
package soko.internal.io;

import org.jspecify.annotations.NullMarked;
