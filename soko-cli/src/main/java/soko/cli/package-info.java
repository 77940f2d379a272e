/** The {@code soko} command: parsing, rendering and exit codes. No business logic: it calls {@link soko.app.Soko}. */
@NullMarked
package soko.cli;

import org.jspecify.annotations.NullMarked;
